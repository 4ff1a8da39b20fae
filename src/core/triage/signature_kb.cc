#include "core/triage/signature_kb.h"

#include <algorithm>
#include <set>
#include <utility>

#include <yaml-cpp/yaml.h>

namespace sentinel::triage {
namespace {

tl::unexpected<Error> Invalid(const std::string& where, const std::string& why) {
  return Fail(ErrorCode::kInvalidArgument, "signatures: " + where + ": " + why, where);
}

std::string Str(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

Result<Signature> ParseSignature(const YAML::Node& node, std::size_t index) {
  std::string where = "signatures[" + std::to_string(index) + "]";
  if (!node.IsMap()) return Invalid(where, "must be a mapping");
  Signature s;
  s.id = Str(node["id"]);
  if (s.id.empty()) return Invalid(where + ".id", "is required");
  where = "signature '" + s.id + "'";
  std::optional<FailureCategory> category = ParseFailureCategory(Str(node["category"]));
  if (!category || *category == FailureCategory::kUnknown)
    return Invalid(where + ".category", "'" + Str(node["category"]) + "' is not a failure category");
  s.category = *category;
  if (node["priority"]) s.priority = node["priority"].as<int>();
  if (node["cascade"]) s.cascade = node["cascade"].as<bool>();
  if (node["prior"]) s.prior = node["prior"].as<double>();
  if (s.prior <= 0 || s.prior > 1) return Invalid(where + ".prior", "must be in (0, 1]");
  s.title = Str(node["title"]);
  s.hint = Str(node["hint"]);
  if (s.title.empty()) return Invalid(where + ".title", "is required");
  if (s.hint.empty()) return Invalid(where + ".hint", "is required");
  const YAML::Node& rem = node["remediation"];
  if (!rem || !rem.IsSequence() || rem.size() == 0) return Invalid(where + ".remediation", "needs at least one step");
  for (const YAML::Node& r : rem) s.remediation.push_back(r.as<std::string>());
  const YAML::Node& pats = node["patterns"];
  if (!pats || !pats.IsSequence()) return Invalid(where + ".patterns", "must be a list");
  for (const YAML::Node& p : pats) {
    std::string text = p.as<std::string>();
    if (text.empty()) return Invalid(where + ".patterns", "an empty pattern matches everything");
    s.patterns.push_back(std::move(text));
  }
  s.example = Str(node["example"]);
  if (!s.patterns.empty() && s.example.empty()) return Invalid(where + ".example", "is required (a realistic log excerpt)");
  return s;
}

Status ParseMeasured(std::string_view text, std::vector<Signature>* sigs, const std::map<std::string, int, std::less<>>& by_id) {
  if (text.empty()) return Ok();
  YAML::Node root = YAML::Load(std::string(text));
  const YAML::Node& rules = root["rules"];
  if (!rules) return Ok();
  if (!rules.IsMap()) return Invalid("measured.rules", "must be a mapping");
  for (const auto& kv : rules) {
    std::string id = kv.first.as<std::string>();
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;  // a removed signature; the rules check reports staleness
    Measured& m = (*sigs)[it->second].measured;
    m.present = true;
    m.fired = kv.second["fired"].as<int>(0);
    m.tp = kv.second["tp"].as<int>(0);
    m.fp = kv.second["fp"].as<int>(0);
  }
  return Ok();
}

}  // namespace

Kb::Kb() = default;
Kb::Kb(Kb&&) noexcept = default;
Kb& Kb::operator=(Kb&&) noexcept = default;
Kb::~Kb() = default;

RE2::Options Kb::PatternOptions() {
  RE2::Options o;
  o.set_never_nl(true);  // a signature describes one line
  o.set_log_errors(false);
  o.set_max_mem(256 << 20);  // the Set's DFA over ~300 patterns needs room
  return o;
}

Result<Kb> Kb::Compile(std::string_view signatures_yaml, std::string_view measured_yaml) {
  Kb kb;
  try {
    YAML::Node root = YAML::Load(std::string(signatures_yaml));
    if (!root.IsMap()) return Invalid("(top)", "must be a mapping with version and signatures");
    kb.version_ = Str(root["version"]);
    if (kb.version_.empty()) return Invalid("version", "is required");
    const YAML::Node& sigs = root["signatures"];
    if (!sigs || !sigs.IsSequence() || sigs.size() == 0) return Invalid("signatures", "must be a non-empty list");
    for (std::size_t i = 0; i < sigs.size(); ++i) {
      Result<Signature> s = ParseSignature(sigs[i], i);
      if (!s) return Fail(s.error());
      if (kb.by_id_.count(s->id)) return Invalid("signature '" + s->id + "'", "duplicate id");
      kb.by_id_.emplace(s->id, static_cast<int>(kb.signatures_.size()));
      kb.signatures_.push_back(std::move(*s));
    }
    if (const YAML::Node& codes = root["exit_codes"]) {
      for (const auto& kv : codes) {
        int code = kv.first.as<int>();
        std::string id = kv.second.as<std::string>();
        int idx = kb.Find(id);
        if (idx < 0) return Invalid("exit_codes." + std::to_string(code), "unknown signature '" + id + "'");
        kb.exit_codes_[code] = idx;
      }
    }
    if (const YAML::Node& j = root["junit_failure"]) {
      kb.junit_failure_ = kb.Find(j.as<std::string>());
      if (kb.junit_failure_ < 0) return Invalid("junit_failure", "unknown signature '" + j.as<std::string>() + "'");
    }
    if (Status st = ParseMeasured(measured_yaml, &kb.signatures_, kb.by_id_); !st) return Fail(st.error());
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("signatures: invalid YAML: ") + e.what());
  }

  RE2::Options options = PatternOptions();
  kb.set_ = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (std::size_t si = 0; si < kb.signatures_.size(); ++si) {
    Signature& s = kb.signatures_[si];
    s.first_pattern = static_cast<int>(kb.patterns_.size());
    for (std::size_t pi = 0; pi < s.patterns.size(); ++pi) {
      // (?m): ^ and $ match at line boundaries when the whole log is searched at once.
      // Timestamps and colours before a line are removed before matching (CleanForMatching).
      std::string text = "(?m)" + s.patterns[pi];
      auto re = std::make_unique<RE2>(text, options);
      if (!re->ok())
        return Invalid("signature '" + s.id + "'.patterns[" + std::to_string(pi) + "]", re->error());
      std::string error;
      if (kb.set_->Add(text, &error) < 0)
        return Invalid("signature '" + s.id + "'.patterns[" + std::to_string(pi) + "]", error);
      kb.patterns_.push_back(std::move(re));
      kb.pattern_signature_.push_back(static_cast<int>(si));
    }
  }
  if (!kb.set_->Compile()) return Fail(ErrorCode::kResourceExhausted, "signatures: the pattern set does not fit in memory");
  return kb;
}

int Kb::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

int Kb::ForExitCode(int exit_code) const {
  auto it = exit_codes_.find(exit_code);
  return it == exit_codes_.end() ? -1 : it->second;
}

double Kb::BaseConfidence(int signature_index) const {
  const Signature& s = signatures_[signature_index];
  if (!s.measured.present) return s.prior;
  return (s.measured.tp + 2.0 * s.prior) / (s.measured.fired + 2.0);
}

std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& captures) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      std::size_t close = text.find('}', i);
      if (close != std::string_view::npos && close > i + 1) {
        std::string name(text.substr(i + 1, close - i - 1));
        bool ident = std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
        if (ident) {
          auto it = captures.find(name);
          if (it != captures.end()) out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  // Tidy what an empty placeholder leaves behind: '' () [] "" and doubled spaces.
  for (std::string_view empty : {"''", "()", "[]", "\"\"", " :", "``"}) {
    for (std::size_t pos; (pos = out.find(empty)) != std::string::npos;) out.erase(pos, empty.size());
  }
  std::string tidy;
  for (char c : out) {
    if (c == ' ' && (tidy.empty() || tidy.back() == ' ')) continue;
    tidy += c;
  }
  while (!tidy.empty() && (tidy.back() == ' ' || tidy.back() == ':')) tidy.pop_back();
  return tidy;
}

}  // namespace sentinel::triage

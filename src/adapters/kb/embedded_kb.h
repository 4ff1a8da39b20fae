#pragma once
// The knowledge base embedded into the binary (signatures.yml and its measured
// precision), and the loader of a labeled corpus from disk (tests/data/logs:
// NAME.log + NAME.expected.json, optional NAME.junit*.xml) and of green logs
// (tests/data/green/*.log). Loading reads files; the Kb itself is pure.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/embedded.h"
#include "core/base/result.h"
#include "core/triage/calibration.h"
#include "core/triage/rules_check.h"
#include "core/triage/signature_kb.h"

namespace sentinel::kb {

namespace signatures {
extern const std::vector<EmbeddedFile> kFiles;  // signatures.yml
}
namespace measured {
extern const std::vector<EmbeddedFile> kFiles;  // signatures.measured.yml
}

// The embedded text of `name` ("signatures.yml", "signatures.measured.yml"), or "".
std::string_view EmbeddedText(std::string_view name);

// Compiles the embedded KB. Fails only if the embedded YAML is broken (a build defect).
Result<triage::Kb> LoadEmbeddedKb();

// Reads a whole file. kNotFound names the path and the OS reason.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Every NAME.log in `dir` with its NAME.expected.json:
//   {"category": "...", "signature": "..." or "", "evidence": [line, ...],
//    "junit": ["NAME.junit.xml", ...], "exit_code": N}
// A .log without .expected.json, or a malformed one, is an error naming the file.
Result<std::vector<triage::LabeledLog>> LoadLabeledCorpus(const std::filesystem::path& dir);

// Every *.log in `dir` (logs of successful steps).
Result<std::vector<triage::NamedLog>> LoadGreenLogs(const std::filesystem::path& dir);

// The real-tool corpus (tests/data/realtools): manifest.tsv and the log each
// row names, read. A malformed manifest or a missing log is an error naming it.
Result<std::vector<triage::BlockLabeledLog>> LoadRealTools(const std::filesystem::path& dir);

// $SENTINEL_SOURCE_DIR if set, else the current directory.
std::filesystem::path SourceDir();

}  // namespace sentinel::kb

# Script mode: writes OUT with one EmbeddedFile per entry of FILES.
set(body "#include \"core/base/embedded.h\"\nnamespace ${NS} {\nextern const std::vector<sentinel::EmbeddedFile> kFiles = {\n")
foreach(f ${FILES})
  file(READ ${f} content)
  get_filename_component(name ${f} NAME)
  string(APPEND body "  {\"${name}\", R\"sentinel_embed(${content})sentinel_embed\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace ${NS}\n")
file(WRITE ${OUT} "${body}")

# Run at build time (cmake -P) with BIN (the built dockgate) and DIR: the man page and the shell
# completions, written by the binary from its own command-line definition so they cannot drift.
file(MAKE_DIRECTORY "${DIR}")
foreach(pair "man;dockgate.1" "completion;bash;dockgate.bash" "completion;zsh;_dockgate" "completion;fish;dockgate.fish")
  list(POP_BACK pair out)
  execute_process(COMMAND "${BIN}" ${pair} OUTPUT_FILE "${DIR}/${out}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dockgate ${pair} failed (${rc})")
  endif()
endforeach()

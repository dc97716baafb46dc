#pragma once
// One file per command (cmd_NAME.cpp); each adds its subcommand and sets `code` when it runs.
#include <CLI/CLI.hpp>

#include "src/app/common.hpp"

namespace dg::app {

void add_gate(CLI::App& app, Io& io, int& code);
void add_run(CLI::App& app, Io& io, int& code);
void add_merge(CLI::App& app, Io& io, int& code);
void add_lint(CLI::App& app, Io& io, int& code);
void add_smoke(CLI::App& app, Io& io, int& code);
void add_size(CLI::App& app, Io& io, int& code);
void add_publish(CLI::App& app, Io& io, int& code);
void add_schema(CLI::App& app, Io& io, int& code);
void add_version(CLI::App& app, Io& io, int& code);
void add_doctor(CLI::App& app, Io& io, int& code);
void add_completion(CLI::App& app, Io& io, int& code);  // and `man`

}  // namespace dg::app

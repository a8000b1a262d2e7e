// The one place results are turned into text. Commands build a View (plain
// data) and hand it here; table, JSON and YAML all come from the same data,
// so the three formats cannot disagree.
#pragma once

#include "sp/core/settings.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace sp::cli {

using Data = nlohmann::ordered_json;

struct Column {
  std::string key;    // snake_case key in each record
  std::string header; // table header; upper-cased key when empty
};

// A command's result: a list of records (a table), one record, or nothing.
// Keys are snake_case and kept in insertion order, so JSON and YAML output are
// stable for scripts.
struct View {
  Data data;
  std::vector<Column> columns; // for a list: the table columns, in order (all keys when empty)
};

struct RenderOptions {
  core::OutputFormat format = core::OutputFormat::table;
  bool color = false;
};

void render(std::ostream& out, const View& view, const RenderOptions& options);

// A scalar as the table shows it (strings unquoted, null as "-").
std::string table_cell(const Data& value);

} // namespace sp::cli

#include "sp/cli/output.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <ostream>

namespace sp::cli {

namespace {

std::string upper(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return c == '_' ? ' ' : static_cast<char>(std::toupper(c)); });
  return text;
}

// Strings that a YAML reader would take for another type must be quoted.
bool needs_quotes(const std::string& text) {
  if (text.empty()) return true;
  static const std::vector<std::string> reserved{"true", "false", "yes", "no", "on",
                                                 "off",  "null",  "~",   "y",  "n"};
  std::string lower = text;
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (std::ranges::find(reserved, lower) != reserved.end()) return true;
  const bool numeric = std::ranges::all_of(text, [](unsigned char c) {
    return std::isdigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  });
  return numeric;
}

void emit_yaml(YAML::Emitter& out, const Data& value) {
  switch (value.type()) {
  case Data::value_t::object:
    if (value.empty()) out << YAML::Flow; // `{}` rather than an empty block
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      emit_yaml(out, item);
    }
    out << YAML::EndMap;
    break;
  case Data::value_t::array:
    if (value.empty()) out << YAML::Flow; // `[]` rather than an empty block
    out << YAML::BeginSeq;
    for (const auto& item : value) emit_yaml(out, item);
    out << YAML::EndSeq;
    break;
  case Data::value_t::string: {
    const auto& text = value.get_ref<const std::string&>();
    if (needs_quotes(text)) out << YAML::DoubleQuoted;
    out << text;
    break;
  }
  case Data::value_t::boolean:
    out << value.get<bool>();
    break;
  case Data::value_t::null:
    out << YAML::Null;
    break;
  default:
    out << value.dump();
    break; // numbers: JSON's spelling is valid YAML
  }
}

void render_yaml(std::ostream& out, const Data& data) {
  YAML::Emitter emitter;
  emitter.SetNullFormat(YAML::LowerNull); // `null`, the spelling JSON users expect, not `~`
  emit_yaml(emitter, data);
  out << emitter.c_str() << '\n';
}

std::vector<Column> columns_for(const View& view) {
  if (!view.columns.empty()) return view.columns;
  std::vector<Column> columns;
  if (!view.data.empty() && view.data.front().is_object()) {
    for (const auto& [key, item] : view.data.front().items()) columns.push_back({key, {}});
  }
  return columns;
}

void render_table(std::ostream& out, const View& view, bool color, std::size_t indent = 0) {
  const auto columns = columns_for(view);
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> headers;
  headers.reserve(columns.size());
  cells.reserve(view.data.size());
  for (const auto& column : columns)
    headers.push_back(column.header.empty() ? upper(column.key) : column.header);
  for (const auto& record : view.data) {
    std::vector<std::string> row;
    row.reserve(columns.size());
    for (const auto& column : columns) {
      row.push_back(record.contains(column.key) ? table_cell(record[column.key]) : "-");
    }
    cells.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    widths[i] = headers[i].size();
    for (const auto& row : cells) widths[i] = std::max(widths[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row, bool bold) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      // No padding after the last column, so lines carry no trailing blanks.
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << std::string(indent, ' ') << (bold ? "\x1b[1m" + line + "\x1b[0m" : line) << '\n';
  };
  print_row(headers, color);
  for (const auto& row : cells) print_row(row, false);
}

// One record as aligned "key: value" lines; nested records are indented below their key.
void render_record(std::ostream& out, const Data& record, std::size_t indent = 0) {
  std::size_t width = 0;
  for (const auto& [key, item] : record.items()) width = std::max(width, key.size());
  for (const auto& [key, item] : record.items()) {
    out << std::string(indent, ' ') << key << ':';
    if (item.is_object()) {
      out << '\n';
      render_record(out, item, indent + 2);
    } else if (item.is_array() && !item.empty() && item.front().is_object()) {
      out << '\n'; // a list of records inside a record: an indented table
      render_table(out, View{item, {}}, false, indent + 2);
    } else {
      out << std::string(width - key.size() + 1, ' ') << table_cell(item) << '\n';
    }
  }
}

} // namespace

std::string table_cell(const Data& value) {
  switch (value.type()) {
  case Data::value_t::string:
    return value.get<std::string>();
  case Data::value_t::null:
    return "-";
  case Data::value_t::array: {
    std::string joined;
    for (const auto& item : value) joined += (joined.empty() ? "" : ",") + table_cell(item);
    return joined;
  }
  default:
    return value.dump();
  }
}

void render(std::ostream& out, const View& view, const RenderOptions& options) {
  switch (options.format) {
  case core::OutputFormat::json:
    out << view.data.dump(2) << '\n';
    return;
  case core::OutputFormat::yaml:
    render_yaml(out, view.data);
    return;
  case core::OutputFormat::table:
    if (view.data.is_array())
      render_table(out, view, options.color);
    else if (view.data.is_object())
      render_record(out, view.data);
    else if (!view.data.is_null())
      out << table_cell(view.data) << '\n';
    return;
  }
}

} // namespace sp::cli

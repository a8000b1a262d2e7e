#include "yaml_object_reader.hpp"

#include <algorithm>
#include <charconv>

namespace sp::core::detail {

namespace {

struct YamlEntry {
  std::string key;
  YAML::Node value;
  YAML::Mark key_mark;
};

class YamlObjectReader final : public ObjectReader {
public:
  YamlObjectReader(const YAML::Node& node, std::string path, const std::string& file, ReadLog& log)
      : ObjectReader(std::move(path), log), file_(file), mark_(node.Mark()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) {
        problem(it->first.Mark(), path_, "keys must be plain strings");
        continue;
      }
      const std::string key = it->first.Scalar();
      if (std::ranges::any_of(entries_, [&](const YamlEntry& entry) { return entry.key == key; })) {
        problem(it->first.Mark(), field(key), "duplicate key");
        continue;
      }
      entries_.push_back({key, it->second, it->first.Mark()});
    }
  }

  std::optional<std::string> string(std::string_view key, Need need) override {
    const YAML::Node* value = present(key, need);
    if (value == nullptr) return std::nullopt;
    if (!value->IsScalar()) return wrong_type(key, *value, "a string");
    note(key, *value);
    return value->Scalar();
  }

  std::optional<std::int64_t> integer(std::string_view key) override {
    const YAML::Node* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->IsScalar()) return wrong_type(key, *value, "an integer");
    const std::string& text = value->Scalar();
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      problem(value->Mark(), field(key), "expected an integer");
      return std::nullopt;
    }
    note(key, *value);
    return number;
  }

  std::optional<bool> boolean(std::string_view key) override {
    const YAML::Node* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->IsScalar()) return wrong_type(key, *value, "true or false");
    const std::string& text = value->Scalar();
    note(key, *value);
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    problem(value->Mark(), field(key), "expected true or false");
    return std::nullopt;
  }

  std::optional<std::vector<std::string>> strings(std::string_view key) override {
    const YAML::Node* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->IsSequence()) return wrong_type(key, *value, "a list of strings");
    note(key, *value);
    std::vector<std::string> items;
    std::size_t index = 0;
    for (const auto& item : *value) {
      const std::string item_field = field(key) + "[" + std::to_string(index++) + "]";
      if (!item.IsScalar()) {
        problem(item.Mark(), item_field,
                std::string("expected a string, got ") + std::string(yaml_node_noun(item)));
        continue;
      }
      if (auto where = yaml_location(file_, item.Mark())) log_.locations[item_field] = *where;
      items.push_back(item.Scalar());
    }
    return items;
  }

  std::optional<std::map<std::string, std::string>> string_map(std::string_view key) override {
    const YAML::Node* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->IsMap()) return wrong_type(key, *value, "a mapping of strings");
    note(key, *value);
    std::map<std::string, std::string> items;
    for (auto it = value->begin(); it != value->end(); ++it) {
      if (!it->first.IsScalar()) {
        problem(it->first.Mark(), field(key), "keys must be plain strings");
        continue;
      }
      const std::string item_field = join_field(field(key), it->first.Scalar());
      if (items.contains(it->first.Scalar())) {
        problem(it->first.Mark(), item_field, "duplicate key");
      } else if (!it->second.IsScalar()) {
        problem(it->second.Mark(), item_field,
                std::string("expected a string, got ") + std::string(yaml_node_noun(it->second)));
      } else {
        if (auto where = yaml_location(file_, it->second.Mark())) log_.locations[item_field] = *where;
        items.emplace(it->first.Scalar(), it->second.Scalar());
      }
    }
    return items;
  }

  std::unique_ptr<ObjectReader> object(std::string_view key, Need need) override {
    const YAML::Node* value = present(key, need);
    if (value == nullptr) return nullptr;
    if (!value->IsMap()) {
      wrong_type(key, *value, "a mapping");
      return nullptr;
    }
    note(key, *value);
    return yaml_reader(*value, field(key), file_, log_);
  }

  std::optional<std::vector<Entry>> entries(std::string_view key) override {
    const YAML::Node* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->IsMap()) return wrong_type(key, *value, "a mapping");
    note(key, *value);
    std::vector<Entry> items;
    for (auto it = value->begin(); it != value->end(); ++it) {
      if (!it->first.IsScalar()) {
        problem(it->first.Mark(), field(key), "keys must be plain strings");
        continue;
      }
      const std::string& name = it->first.Scalar();
      const std::string item_field = join_field(field(key), name);
      if (std::ranges::any_of(items, [&](const Entry& entry) { return entry.key == name; })) {
        problem(it->first.Mark(), item_field, "duplicate key");
        continue;
      }
      if (auto where = yaml_location(file_, it->first.Mark())) log_.locations[item_field] = *where;
      if (it->second.IsScalar()) {
        items.push_back({name, it->second.Scalar(), nullptr});
      } else if (it->second.IsMap()) {
        items.push_back({name, std::nullopt, yaml_reader(it->second, item_field, file_, log_)});
      } else {
        problem(it->second.Mark(), item_field,
                std::string("expected a string or a mapping, got ") +
                    std::string(yaml_node_noun(it->second)));
      }
    }
    return items;
  }

  bool has(std::string_view key) override { return present(key, Need::optional) != nullptr; }

  void report(std::string_view key, std::string message, ErrorKind kind) override {
    const auto* entry = find(key);
    const YAML::Mark mark = entry != nullptr ? entry->value.Mark() : mark_;
    const std::string where = key.empty() ? path_ : field(key);
    log_.problems.push_back({yaml_location(file_, mark), where, std::move(message), kind});
  }

  void finish() override {
    for (const auto& entry : entries_) {
      if (std::ranges::find(allowed_, entry.key) == allowed_.end()) {
        problem(entry.key_mark, field(entry.key), unknown_field_message(entry.key, allowed_));
      }
    }
  }

private:
  const YamlEntry* find(std::string_view key) const {
    auto it = std::ranges::find_if(entries_, [&](const YamlEntry& entry) { return entry.key == key; });
    return it == entries_.end() ? nullptr : &*it;
  }

  // The value of a key that is there and not null; reports a missing required key.
  const YAML::Node* present(std::string_view key, Need need) {
    if (std::ranges::find(allowed_, key) == allowed_.end()) allowed_.emplace_back(key);
    const auto* entry = find(key);
    if (entry == nullptr || entry->value.IsNull()) {
      if (need == Need::required) {
        problem(entry != nullptr ? entry->key_mark : mark_, field(key), "missing required field");
      }
      return nullptr;
    }
    return &entry->value;
  }

  std::nullopt_t wrong_type(std::string_view key, const YAML::Node& value, std::string_view expected) {
    problem(value.Mark(), field(key),
            std::string("expected ") + std::string(expected) + ", got " + std::string(yaml_node_noun(value)));
    return std::nullopt;
  }

  void note(std::string_view key, const YAML::Node& value) {
    if (auto where = yaml_location(file_, value.Mark())) log_.locations[field(key)] = *where;
  }

  void problem(const YAML::Mark& mark, std::string where, std::string message) {
    log_.problems.push_back(
        {yaml_location(file_, mark), std::move(where), std::move(message), ErrorKind::usage});
  }

  const std::string& file_;
  YAML::Mark mark_;
  std::vector<YamlEntry> entries_;
  std::vector<std::string> allowed_;
};

} // namespace

std::optional<SourceLocation> yaml_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return std::nullopt;
  // yaml-cpp counts from 0; editors count from 1.
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

std::string_view yaml_node_noun(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Scalar:
    return "a single value";
  case YAML::NodeType::Null:
    return "nothing";
  case YAML::NodeType::Undefined:
    break;
  }
  return "nothing";
}

std::unique_ptr<ObjectReader> yaml_reader(const YAML::Node& node, std::string path, const std::string& file,
                                          ReadLog& log) {
  return std::make_unique<YamlObjectReader>(node, std::move(path), file, log);
}

} // namespace sp::core::detail

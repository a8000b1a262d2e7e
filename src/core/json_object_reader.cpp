// ObjectReader over JSON, for specs read back from the database. The same
// rules as files apply, so a spec stored by an older or a hand-edited
// database is refused the same way a bad file is.
#include "object_reader.hpp"

#include <algorithm>

namespace sp::core::detail {

namespace {

std::string_view json_noun(const nlohmann::json& value) {
  if (value.is_object()) return "a mapping";
  if (value.is_array()) return "a list";
  if (value.is_null()) return "nothing";
  return "a single value";
}

// Scalars as YAML would read them: strings as they are, numbers and booleans spelled out.
std::optional<std::string> scalar_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

class JsonObjectReader final : public ObjectReader {
public:
  JsonObjectReader(const nlohmann::json& object, std::string path, ReadLog& log)
      : ObjectReader(std::move(path), log), object_(object) {}

  std::optional<std::string> string(std::string_view key, Need need) override {
    const auto* value = present(key, need);
    if (value == nullptr) return std::nullopt;
    auto text = scalar_text(*value);
    if (!text) return wrong_type(key, *value, "a string");
    return text;
  }

  std::optional<std::int64_t> integer(std::string_view key) override {
    const auto* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) return wrong_type(key, *value, "an integer");
    return value->get<std::int64_t>();
  }

  std::optional<bool> boolean(std::string_view key) override {
    const auto* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) return wrong_type(key, *value, "true or false");
    return value->get<bool>();
  }

  std::optional<std::vector<std::string>> strings(std::string_view key) override {
    const auto* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->is_array()) return wrong_type(key, *value, "a list of strings");
    std::vector<std::string> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
      auto text = scalar_text((*value)[i]);
      if (!text) {
        add(field(key) + "[" + std::to_string(i) + "]", "expected a string");
        continue;
      }
      items.push_back(std::move(*text));
    }
    return items;
  }

  std::optional<std::map<std::string, std::string>> string_map(std::string_view key) override {
    const auto* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) return wrong_type(key, *value, "a mapping of strings");
    std::map<std::string, std::string> items;
    for (const auto& [name, item] : value->items()) {
      auto text = scalar_text(item);
      if (!text) {
        add(join_field(field(key), name), "expected a string");
        continue;
      }
      items.emplace(name, std::move(*text));
    }
    return items;
  }

  std::unique_ptr<ObjectReader> object(std::string_view key, Need need) override {
    const auto* value = present(key, need);
    if (value == nullptr) return nullptr;
    if (!value->is_object()) {
      wrong_type(key, *value, "a mapping");
      return nullptr;
    }
    return json_reader(*value, field(key), log_);
  }

  std::optional<std::vector<Entry>> entries(std::string_view key) override {
    const auto* value = present(key, Need::optional);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) return wrong_type(key, *value, "a mapping");
    std::vector<Entry> items;
    for (const auto& [name, item] : value->items()) {
      if (item.is_object()) {
        items.push_back({name, std::nullopt, json_reader(item, join_field(field(key), name), log_)});
      } else if (auto text = scalar_text(item)) {
        items.push_back({name, std::move(text), nullptr});
      } else {
        add(join_field(field(key), name), "expected a string or a mapping");
      }
    }
    return items;
  }

  bool has(std::string_view key) override { return present(key, Need::optional) != nullptr; }

  void report(std::string_view key, std::string message, ErrorKind kind) override {
    log_.problems.push_back({std::nullopt, key.empty() ? path_ : field(key), std::move(message), kind});
  }

  void finish() override {
    if (!object_.is_object()) {
      add(path_, "expected a mapping");
      return;
    }
    for (const auto& [key, value] : object_.items()) {
      if (std::ranges::find(allowed_, key) == allowed_.end())
        add(field(key), unknown_field_message(key, allowed_));
    }
  }

private:
  const nlohmann::json* present(std::string_view key, Need need) {
    if (std::ranges::find(allowed_, key) == allowed_.end()) allowed_.emplace_back(key);
    const nlohmann::json* value = nullptr;
    if (object_.is_object()) {
      auto it = object_.find(key);
      if (it != object_.end() && !it->is_null()) value = &*it;
    }
    if (value == nullptr && need == Need::required) add(field(key), "missing required field");
    return value;
  }

  std::nullopt_t wrong_type(std::string_view key, const nlohmann::json& value, std::string_view expected) {
    add(field(key),
        std::string("expected ") + std::string(expected) + ", got " + std::string(json_noun(value)));
    return std::nullopt;
  }

  void add(std::string where, std::string message) {
    log_.problems.push_back({std::nullopt, std::move(where), std::move(message), ErrorKind::usage});
  }

  const nlohmann::json& object_;
  std::vector<std::string> allowed_;
};

} // namespace

std::unique_ptr<ObjectReader> json_reader(const nlohmann::json& object, std::string path, ReadLog& log) {
  return std::make_unique<JsonObjectReader>(object, std::move(path), log);
}

} // namespace sp::core::detail

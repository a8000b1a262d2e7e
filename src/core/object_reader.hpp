// Strict reading of one mapping, whatever it was written in. The spec
// readers (spec_readers.hpp) describe each kind once against this interface;
// YAML files and JSON stored in the database each provide an implementation,
// so both are held to exactly the same rules.
//
// Every accessor names one key. The keys asked for are the keys allowed:
// finish() reports any other key as unknown, with the closest allowed one as
// a suggestion. A null value counts as absent. Scalars of any YAML type are
// accepted where a string is expected ("8080" and 8080 are both "8080").
// Messages never quote a value: it could be a secret.
#pragma once

#include "sp/core/problems.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core::detail {

// Where problems and field positions go while reading one document.
struct ReadLog {
  std::vector<Problem> problems;
  std::map<std::string, SourceLocation> locations; // field path -> where its value was written
};

enum class Need { optional, required };

class ObjectReader;

// A map entry whose value is either a scalar or a mapping (environment variables).
struct Entry {
  std::string key;
  std::optional<std::string> scalar;
  std::unique_ptr<ObjectReader> object; // when the value is a mapping
};

class ObjectReader {
public:
  ObjectReader(std::string path, ReadLog& log) : path_(std::move(path)), log_(log) {}
  virtual ~ObjectReader() = default;
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  virtual std::optional<std::string> string(std::string_view key, Need need = Need::optional) = 0;
  virtual std::optional<std::int64_t> integer(std::string_view key) = 0;
  virtual std::optional<bool> boolean(std::string_view key) = 0;
  virtual std::optional<std::vector<std::string>> strings(std::string_view key) = 0;
  virtual std::optional<std::map<std::string, std::string>> string_map(std::string_view key) = 0;
  // A nested mapping; nullptr when absent (reported when required) or not a mapping.
  virtual std::unique_ptr<ObjectReader> object(std::string_view key, Need need = Need::optional) = 0;
  // The entries of a nested mapping whose values are scalars or mappings.
  virtual std::optional<std::vector<Entry>> entries(std::string_view key) = 0;
  // Whether the key is present with a non-null value (and marks it as allowed).
  virtual bool has(std::string_view key) = 0;
  // A problem about one key (or the mapping itself when key is empty).
  virtual void report(std::string_view key, std::string message, ErrorKind kind = ErrorKind::usage) = 0;
  // Reports the keys nobody asked for.
  virtual void finish() = 0;

  // A duration: "30s", "1h30m", or a bare integer meaning seconds.
  std::optional<std::chrono::milliseconds> duration(std::string_view key);
  // An integer within [min, max].
  std::optional<int> bounded_int(std::string_view key, int min, int max);
  // One of the given words.
  std::optional<std::string> word(std::string_view key, const std::vector<std::string>& allowed,
                                  Need need = Need::optional);

  const std::string& path() const { return path_; }
  std::string field(std::string_view key) const;

protected:
  std::string path_;
  ReadLog& log_;
};

// "spec" + "cluster" -> "spec.cluster"; keys that are not identifiers are
// quoted: "spec.flinkConfiguration" + "a.b" -> `spec.flinkConfiguration["a.b"]`.
std::string join_field(std::string_view path, std::string_view key);

// "unknown field (did you mean parallelism?)"
std::string unknown_field_message(std::string_view key, const std::vector<std::string>& allowed);

// A reader over a JSON object (stored specs). Problems carry no location.
std::unique_ptr<ObjectReader> json_reader(const nlohmann::json& object, std::string path, ReadLog& log);

} // namespace sp::core::detail

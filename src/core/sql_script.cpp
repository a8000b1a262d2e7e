#include "sp/core/sql_script.hpp"

#include "sp/util/enum_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sp::core {

namespace {

// A statement as the lexer cut it: comments gone (hints kept), before classification.
struct RawStatement {
  std::string text;
  SqlPosition at;
};

Error script_error(const std::string& source, SqlPosition at, const std::string& why) {
  return Error(ErrorKind::usage, fmt::format("reading {}:{}:{}", source, at.line, at.column), why);
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Moves `at` past one byte of text: a line break starts a line, a UTF-8
// continuation byte is part of the character before it.
void advance(SqlPosition& at, char c) {
  if (c == '\n' || c == '\r') {
    ++at.line;
    at.column = 1;
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    ++at.column;
  }
}

// Cuts a script at the semicolons that are outside quotes, backticks and
// comments, keeping each statement's position.
class Lexer {
public:
  Lexer(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Result<std::vector<RawStatement>> run() {
    while (i_ < text_.size()) {
      if (auto read = step(); !read) return std::unexpected(read.error());
    }
    finish_statement();
    return std::move(statements_);
  }

private:
  Result<void> step() {
    const char c = text_[i_];
    if (looking_at("--")) {
      while (i_ < text_.size() && text_[i_] != '\n' && text_[i_] != '\r') consume(false);
      return {};
    }
    if (looking_at("/*")) return block_comment();
    if (c == '\'' || c == '"' || c == '`') return quoted(c);
    if (c == ';') {
      consume(false);
      finish_statement();
      return {};
    }
    consume(true);
    return {};
  }

  bool looking_at(std::string_view token) const { return text_.substr(i_).starts_with(token); }

  // One byte of the script: into the statement when `keep`, and counted
  // towards line and column either way. CRLF is one line break, kept as LF.
  void consume(bool keep) {
    const char c = text_[i_++];
    if (c == '\r' && i_ < text_.size() && text_[i_] == '\n') return; // the LF that follows counts
    if (keep && !start_ && !is_space(c)) start_ = position_;
    if (keep) current_ += c == '\r' ? '\n' : c;
    advance(position_, c);
  }

  // `/*+ hints */` stay (Flink reads them); other comments become the line
  // breaks they spanned, or one space, so words on either side stay apart.
  Result<void> block_comment() {
    const SqlPosition opened = position_;
    const bool hint = looking_at("/*+");
    const auto end = text_.find("*/", i_ + 2);
    if (end == std::string_view::npos) {
      return std::unexpected(
          script_error(source_, opened,
                       hint ? "unterminated hint (/*+ without */)" : "unterminated comment (/* without */)"));
    }
    const int line_before = position_.line;
    while (i_ < end + 2) consume(hint);
    if (!hint)
      current_ += position_.line == line_before
                      ? " "
                      : std::string(static_cast<std::size_t>(position_.line - line_before), '\n');
    return {};
  }

  // A string ('...'), a double-quoted name or a backticked identifier; the
  // quote doubled inside is the quote itself ('it''s').
  Result<void> quoted(char quote) {
    const SqlPosition opened = position_;
    consume(true);
    for (;;) {
      if (i_ >= text_.size()) {
        const char* what = quote == '`' ? "unterminated identifier (` without its closing `)"
                                        : "unterminated string (a quote without its closing quote)";
        return std::unexpected(script_error(source_, opened, what));
      }
      const bool closing = text_[i_] == quote;
      consume(true);
      if (!closing) continue;
      if (i_ < text_.size() && text_[i_] == quote) {
        consume(true); // doubled: an escaped quote
        continue;
      }
      return {};
    }
  }

  void finish_statement() {
    if (start_) {
      std::string text = current_;
      while (!text.empty() && is_space(text.back())) text.pop_back();
      const auto first = std::ranges::find_if(text, [](char c) { return !is_space(c); });
      text.erase(text.begin(), first);
      statements_.push_back({std::move(text), *start_});
    }
    current_.clear();
    start_.reset();
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t i_ = 0;
  SqlPosition position_;
  std::string current_;
  std::optional<SqlPosition> start_;
  std::vector<RawStatement> statements_;
};

// The leading words of a statement, upper-cased, skipping hints; each with
// the offset just past it, so a prefix such as EXECUTE STATEMENT SET BEGIN
// can be cut off.
struct Word {
  std::string upper;
  std::size_t end = 0;
};

std::vector<Word> leading_words(std::string_view text, std::size_t count) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (words.size() < count && i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    if (text.substr(i).starts_with("/*+")) {
      const auto end = text.find("*/", i);
      i = end == std::string_view::npos ? text.size() : end + 2;
      continue;
    }
    Word word;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_')) {
      word.upper += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    }
    if (word.upper.empty()) break; // punctuation: no more words
    word.end = i;
    words.push_back(std::move(word));
  }
  return words;
}

bool words_are(const std::vector<Word>& words, std::initializer_list<std::string_view> expected) {
  if (words.size() < expected.size()) return false;
  return std::equal(expected.begin(), expected.end(), words.begin(),
                    [](std::string_view want, const Word& word) { return word.upper == want; });
}

// The position of `offset` in a statement that starts at `start`.
SqlPosition position_in(const RawStatement& statement, std::size_t offset) {
  SqlPosition at = statement.at;
  for (std::size_t i = 0; i < offset && i < statement.text.size(); ++i) advance(at, statement.text[i]);
  return at;
}

constexpr util::EnumNames<SqlStatementKind, 10> kind_names{{
    {SqlStatementKind::set, "SET"},
    {SqlStatementKind::reset, "RESET"},
    {SqlStatementKind::create, "CREATE"},
    {SqlStatementKind::drop, "DROP"},
    {SqlStatementKind::alter, "ALTER"},
    {SqlStatementKind::use, "USE"},
    {SqlStatementKind::load, "LOAD"},
    {SqlStatementKind::unload, "UNLOAD"},
    {SqlStatementKind::add_jar, "ADD JAR"},
    {SqlStatementKind::insert, "INSERT"},
}};

constexpr std::string_view allowed_kinds =
    "SET, RESET, CREATE, DROP, ALTER, USE, LOAD, UNLOAD, ADD JAR and INSERT";

// One quoted ('' escapes) or bare SET/RESET operand from the front of `rest`.
std::optional<std::string> take_operand(std::string_view& rest, bool bare_stops_at_equals) {
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (rest.empty()) return std::nullopt;
  std::string value;
  if (rest.front() == '\'') {
    std::size_t i = 1;
    for (; i < rest.size(); ++i) {
      if (rest[i] != '\'') {
        value += rest[i];
      } else if (i + 1 < rest.size() && rest[i + 1] == '\'') {
        value += '\'';
        ++i;
      } else {
        break;
      }
    }
    rest.remove_prefix(std::min(i + 1, rest.size()));
    return value;
  }
  const auto end = bare_stops_at_equals ? rest.find('=') : std::string_view::npos;
  value = std::string(rest.substr(0, end));
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  while (!value.empty() && is_space(value.back())) value.pop_back();
  return value;
}

bool only_space(std::string_view rest) { return std::ranges::all_of(rest, is_space); }

// SET 'key' = 'value' (or the older bare SET key = value); RESET ['key'].
Result<void> read_set_or_reset(SqlStatement& statement, std::size_t keyword_end, const std::string& source) {
  std::string_view rest = std::string_view(statement.text).substr(keyword_end);
  const bool set = statement.kind == SqlStatementKind::set;
  const auto key = take_operand(rest, set);
  if (!set) {
    if (!only_space(rest)) return std::unexpected(script_error(source, statement.at, "RESET takes one key"));
    statement.key = key.value_or("");
    return {};
  }
  const auto expected = "SET needs a key and a value: SET 'key' = 'value' (a bare SET only lists the "
                        "configuration in the SQL client)";
  if (!key || key->empty()) return std::unexpected(script_error(source, statement.at, expected));
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (!rest.starts_with("=")) return std::unexpected(script_error(source, statement.at, expected));
  rest.remove_prefix(1);
  const auto value = take_operand(rest, false);
  if (!value || !only_space(rest)) return std::unexpected(script_error(source, statement.at, expected));
  statement.key = *key;
  statement.value = *value;
  return {};
}

Result<SqlStatement> classify(const RawStatement& raw, const std::string& source) {
  const auto words = leading_words(raw.text, 2);
  SqlStatement statement{.text = raw.text, .at = raw.at};
  for (const auto& [kind, name] : kind_names) {
    const bool two_words = name == "ADD JAR";
    if (two_words ? !words_are(words, {"ADD", "JAR"}) : !words_are(words, {name})) continue;
    statement.kind = kind;
    if (kind == SqlStatementKind::set || kind == SqlStatementKind::reset) {
      if (auto read = read_set_or_reset(statement, words.front().end, source); !read) {
        return std::unexpected(read.error());
      }
    }
    return statement;
  }
  const std::string first = words.empty() ? raw.text.substr(0, 20) : words.front().upper;
  if (first == "SELECT" || first == "WITH" || first == "VALUES" || first == "TABLE") {
    return std::unexpected(script_error(source, raw.at,
                                        "a job script cannot hold a query (" + first +
                                            "): nothing would read its result; write it with INSERT INTO"));
  }
  return std::unexpected(script_error(
      source, raw.at,
      fmt::format("'{}' is not a statement a job script may hold (allowed: {})", first, allowed_kinds)));
}

// Statement-set bookkeeping: every INSERT joins the one set the runner runs,
// so a script that spells out a set must hold every INSERT inside it.
class SetTracker {
public:
  explicit SetTracker(const std::string& source) : source_(source) {}

  Result<void> open(SqlPosition at) {
    if (open_)
      return refuse(at, fmt::format("a statement set inside the one opened at line {}", open_->line));
    if (first_set_) {
      return refuse(at, fmt::format("a second statement set (the first is at line {}): one script is one "
                                    "job; put every INSERT in one set",
                                    first_set_->line));
    }
    if (loose_insert_) return two_jobs(*loose_insert_, at);
    open_ = first_set_ = at;
    return {};
  }

  Result<void> close(SqlPosition at) {
    if (!open_) return refuse(at, "END without BEGIN STATEMENT SET");
    if (inserts_in_set_ == 0) return refuse(*open_, "a statement set without an INSERT");
    open_.reset();
    return {};
  }

  Result<void> add(const SqlStatement& statement) {
    const bool insert = statement.kind == SqlStatementKind::insert;
    if (open_ && !insert) {
      return refuse(statement.at, fmt::format("only INSERT belongs in a statement set (opened at line {}); "
                                              "put {} before it",
                                              open_->line, to_string(statement.kind)));
    }
    if (insert && open_) ++inserts_in_set_;
    if (insert && !open_) {
      if (first_set_) return two_jobs(statement.at, *first_set_);
      if (!loose_insert_) loose_insert_ = statement.at;
    }
    return {};
  }

  Result<void> finish() const {
    if (open_) return refuse(*open_, "a statement set without END");
    return {};
  }

private:
  std::unexpected<Error> refuse(SqlPosition at, const std::string& why) const {
    return std::unexpected(script_error(source_, at, why));
  }
  std::unexpected<Error> two_jobs(SqlPosition insert, SqlPosition set) const {
    return refuse(std::max(insert, set, [](SqlPosition a, SqlPosition b) { return a.line < b.line; }),
                  fmt::format("an INSERT at line {} outside the statement set at line {}: that is two jobs' "
                              "worth; one script is one job, so put every INSERT in the set",
                              insert.line, set.line));
  }

  const std::string& source_;
  std::optional<SqlPosition> open_;
  std::optional<SqlPosition> first_set_;
  std::optional<SqlPosition> loose_insert_;
  std::size_t inserts_in_set_ = 0;
};

// `EXECUTE STATEMENT SET BEGIN INSERT ...`: the words that open the set are
// cut off and the rest, the first INSERT, is a statement of its own.
std::optional<RawStatement> after_prefix(const RawStatement& raw, std::size_t prefix_end) {
  std::size_t start = prefix_end;
  while (start < raw.text.size() && is_space(raw.text[start])) ++start;
  if (start == raw.text.size()) return std::nullopt;
  return RawStatement{raw.text.substr(start), position_in(raw, start)};
}

} // namespace

std::string_view to_string(SqlStatementKind kind) { return util::name_of(kind_names, kind); }

std::size_t SqlScript::insert_count() const {
  return static_cast<std::size_t>(
      std::ranges::count(statements, SqlStatementKind::insert, &SqlStatement::kind));
}

Result<SqlScript> split_sql_script(std::string_view text, const std::string& source) {
  auto raw = Lexer(text, source).run();
  if (!raw) return std::unexpected(raw.error());
  SqlScript script;
  SetTracker sets(source);
  for (const auto& statement : *raw) {
    const auto words = leading_words(statement.text, 5);
    std::optional<RawStatement> rest = statement;
    if (words.size() == 3 && words_are(words, {"BEGIN", "STATEMENT", "SET"})) {
      if (auto opened = sets.open(statement.at); !opened) return std::unexpected(opened.error());
      continue;
    }
    if (words_are(words, {"EXECUTE", "STATEMENT", "SET", "BEGIN"})) {
      if (auto opened = sets.open(statement.at); !opened) return std::unexpected(opened.error());
      rest = after_prefix(statement, words[3].end);
      if (!rest) continue;
    }
    if (words.size() == 1 && words_are(words, {"END"}) && statement.text.size() == 3) {
      if (auto closed = sets.close(statement.at); !closed) return std::unexpected(closed.error());
      continue;
    }
    auto classified = classify(*rest, source);
    if (!classified) return std::unexpected(classified.error());
    if (auto added = sets.add(*classified); !added) return std::unexpected(added.error());
    script.statements.push_back(std::move(*classified));
  }
  if (auto finished = sets.finish(); !finished) return std::unexpected(finished.error());
  return script;
}

Result<void> require_insert(const SqlScript& script, const std::string& source) {
  if (script.insert_count() > 0) return {};
  return fail(ErrorKind::usage, "reading " + source,
              "the script has no INSERT: a job must write its results somewhere (INSERT INTO a sink table)");
}

namespace {

constexpr util::EnumNames<SqlStatementKind, 10> runner_kind_names{{
    {SqlStatementKind::set, "set"},
    {SqlStatementKind::reset, "reset"},
    {SqlStatementKind::create, "create"},
    {SqlStatementKind::drop, "drop"},
    {SqlStatementKind::alter, "alter"},
    {SqlStatementKind::use, "use"},
    {SqlStatementKind::load, "load"},
    {SqlStatementKind::unload, "unload"},
    {SqlStatementKind::add_jar, "add_jar"},
    {SqlStatementKind::insert, "insert"},
}};

} // namespace

std::string runner_script_json(const SqlScript& script, const std::string& name) {
  nlohmann::ordered_json statements = nlohmann::ordered_json::array();
  for (const auto& statement : script.statements) {
    nlohmann::ordered_json entry = {{"kind", util::name_of(runner_kind_names, statement.kind)},
                                    {"sql", statement.text},
                                    {"line", statement.at.line},
                                    {"column", statement.at.column}};
    if (statement.kind == SqlStatementKind::set || statement.kind == SqlStatementKind::reset) {
      entry["key"] = statement.key;
    }
    if (statement.kind == SqlStatementKind::set) entry["value"] = statement.value;
    statements.push_back(std::move(entry));
  }
  nlohmann::ordered_json json = {{"version", 1}, {"name", name}, {"statements", std::move(statements)}};
  return json.dump();
}

std::vector<std::string> verification_side_effects(const SqlScript& script) {
  std::string catalog = "DEFAULT_CATALOG";
  std::vector<std::string> warnings;
  for (const auto& statement : script.statements) {
    const auto words = leading_words(statement.text, 3);
    if (statement.kind == SqlStatementKind::use && words.size() >= 2 && words[1].upper == "CATALOG") {
      catalog.clear(); // the name as written, backticks dropped; compared without case
      for (const char c : std::string_view(statement.text).substr(words[1].end)) {
        if (c != '`' && !is_space(c))
          catalog += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      continue;
    }
    const bool ddl = statement.kind == SqlStatementKind::create || statement.kind == SqlStatementKind::drop ||
                     statement.kind == SqlStatementKind::alter;
    if (!ddl || catalog == "DEFAULT_CATALOG" || words.size() < 2) continue;
    if (words[1].upper == "TEMPORARY" || words[1].upper == "CATALOG") continue;
    warnings.push_back(fmt::format("line {}: {} {} writes to catalog {} when the planner runs it",
                                   statement.at.line, words[0].upper, words[1].upper, catalog));
  }
  return warnings;
}

} // namespace sp::core

package sp.sqlrunner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The script sp sends: {"version":1,"name":...,"statements":[{"kind","sql",
 * "key","value","line","column"}]}. Reading checks the shape fully, so a
 * mismatch between sp and the runner fails before Flink sees anything.
 */
final class Script {
  static final long VERSION = 1;

  /** The job's name: pipeline.name unless the script SETs it. */
  final String name;
  final List<Statement> statements;

  private Script(String name, List<Statement> statements) {
    this.name = name;
    this.statements = Collections.unmodifiableList(statements);
  }

  /** Reads the script JSON; throws RunnerException saying what is wrong with it. */
  static Script fromJson(String json) {
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new RunnerException("the script is not valid JSON: " + e.getMessage());
    }
    Map<String, Object> top = object(root, "the script");
    Object version = top.get("version");
    if (!(version instanceof Long) || (Long) version != VERSION) {
      throw new RunnerException("script version " + version + " is not supported (this runner reads version "
          + VERSION + "); use the sp that goes with this runner");
    }
    String name = string(top, "name", "the script", true);
    Object list = top.get("statements");
    if (!(list instanceof List)) {
      throw new RunnerException("the script has no \"statements\" array");
    }
    List<Statement> statements = new ArrayList<>();
    int index = 0;
    for (Object item : (List<?>) list) {
      statements.add(statement(item, index++));
    }
    return new Script(name, statements);
  }

  private static Statement statement(Object item, int index) {
    String what = "statement " + (index + 1);
    Map<String, Object> m = object(item, what);
    String kindName = string(m, "kind", what, true);
    Statement.Kind kind = Statement.Kind.fromJson(kindName);
    if (kind == null) {
      throw new RunnerException(what + " has the unknown kind \"" + kindName
          + "\" (known: set, reset, create, drop, alter, use, load, unload, add_jar, insert)");
    }
    String sql = string(m, "sql", what, kind != Statement.Kind.SET && kind != Statement.Kind.RESET);
    String key = string(m, "key", what, kind == Statement.Kind.SET);
    String value = string(m, "value", what, kind == Statement.Kind.SET);
    if (kind == Statement.Kind.SET && key.isEmpty()) {
      throw new RunnerException(what + " is a SET without a key");
    }
    return new Statement(kind, sql, key, value, number(m, "line", what), number(m, "column", what));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new RunnerException(what + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** A string member; absent optional members read as "". */
  private static String string(Map<String, Object> m, String member, String what, boolean required) {
    Object v = m.get(member);
    if (v == null) {
      if (required) {
        throw new RunnerException(what + " has no \"" + member + "\"");
      }
      return "";
    }
    if (!(v instanceof String)) {
      throw new RunnerException(what + ": \"" + member + "\" is not a string");
    }
    return (String) v;
  }

  /** Line and column: optional (0 when absent), non-negative integers. */
  private static long number(Map<String, Object> m, String member, String what) {
    Object v = m.get(member);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Long) || (Long) v < 0) {
      throw new RunnerException(what + ": \"" + member + "\" is not a non-negative integer");
    }
    return (Long) v;
  }
}

package sp.sqlrunner;

/** One statement of a script, as sp split it: its kind, text and place in the user's file. */
final class Statement {
  /** The kinds sp sends; anything else is refused when the script is read. */
  enum Kind {
    SET("set"),
    RESET("reset"),
    CREATE("create"),
    DROP("drop"),
    ALTER("alter"),
    USE("use"),
    LOAD("load"),
    UNLOAD("unload"),
    ADD_JAR("add_jar"),
    INSERT("insert");

    /** The spelling in the script JSON. */
    final String json;

    Kind(String json) {
      this.json = json;
    }

    static Kind fromJson(String name) {
      for (Kind kind : values()) {
        if (kind.json.equals(name)) {
          return kind;
        }
      }
      return null;
    }

    /** Statements run one by one with executeSql before any INSERT. */
    boolean isExecutedDirectly() {
      return this != SET && this != RESET && this != INSERT;
    }
  }

  final Kind kind;
  /** The statement text without its trailing ';'. */
  final String sql;
  /** SET/RESET: the configuration key (empty for a RESET of everything). */
  final String key;
  /** SET: the value. */
  final String value;
  /** 1-based line and column of the statement's start in the user's script. */
  final long line;
  final long column;

  Statement(Kind kind, String sql, String key, String value, long line, long column) {
    this.kind = kind;
    this.sql = sql;
    this.key = key;
    this.value = value;
    this.line = line;
    this.column = column;
  }
}

package sp.sqlrunner;

/**
 * The one failure the runner reports. Its message starts with "sp-sql-runner: "
 * so sp can find it in a client's output or a REST error trace, whatever
 * wraps it (ProgramInvocationException, "The main method caused an error").
 * The runner throws instead of calling System.exit, which Flink's client
 * cannot survive in application mode.
 */
final class RunnerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String PREFIX = "sp-sql-runner: ";

  RunnerException(String message) {
    super(PREFIX + message);
  }

  RunnerException(String message, Throwable cause) {
    super(PREFIX + message, cause);
  }

  /** A Flink failure while running one statement, named by its place in the user's script. */
  static RunnerException atStatement(Statement statement, Throwable cause) {
    return new RunnerException(
        "statement at line " + statement.line + ", column " + statement.column
            + " (" + statement.kind.json + "): " + describe(cause),
        cause);
  }

  /**
   * The message of a throwable and of its causes, joined by ": ". Flink's
   * outer messages are often generic ("Unable to create a source for reading
   * table ...") and the cause says why, so both are kept; a cause whose
   * message the text already holds is skipped.
   */
  static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = error; t != null && depth < 8; t = t.getCause(), depth++) {
      String message = t.getMessage();
      if (message == null || message.trim().isEmpty()) {
        if (text.length() == 0) {
          message = t.getClass().getName();
        } else {
          continue;
        }
      }
      message = message.trim();
      if (text.indexOf(message) >= 0) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(message);
      if (t.getCause() == t) {
        break;
      }
    }
    return text.toString();
  }
}

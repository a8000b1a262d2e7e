package sp.sqlrunner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's command line. Flags take their value as the next argument or
 * after '=' (--mode=explain); each may appear once.
 *
 * <pre>
 *   --script BASE64     base64 of the gzipped script JSON
 *   --script-file PATH  the script JSON in a file, plain or gzipped
 *   --mode MODE         run (default), explain, compile or execute-plan
 *   --plan BASE64       execute-plan: base64 of the gzipped compiled plan JSON
 *   --plan-file PATH    execute-plan: the compiled plan JSON in a file, plain or gzipped
 *   --output PATH       explain, compile: write the result there instead of stdout
 * </pre>
 */
final class Arguments {
  enum Mode {
    RUN("run"),
    EXPLAIN("explain"),
    COMPILE("compile"),
    EXECUTE_PLAN("execute-plan");

    final String flag;

    Mode(String flag) {
      this.flag = flag;
    }
  }

  static final String USAGE = "usage: SqlRunner (--script BASE64 | --script-file PATH)"
      + " [--mode run|explain|compile|execute-plan] [--plan BASE64 | --plan-file PATH] [--output PATH]";

  private static final String[] FLAGS = {"script", "script-file", "mode", "plan", "plan-file", "output"};

  final Mode mode;
  final Payload script;
  /** Only in execute-plan mode; null otherwise. */
  final Payload plan;
  /** Where explain and compile write; null for stdout. */
  final String output;

  private Arguments(Mode mode, Payload script, Payload plan, String output) {
    this.mode = mode;
    this.script = script;
    this.plan = plan;
    this.output = output;
  }

  /** Parses the arguments; throws RunnerException with the usage on any mistake. */
  static Arguments parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw usage("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!known(name)) {
        throw usage("unknown option '--" + name + "'");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw usage("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw usage("--" + name + " is given more than once");
      }
    }
    Mode mode = mode(values.containsKey("mode") ? values.get("mode") : "run");
    Payload script = payload(values, "script", "the script");
    if (script == null) {
      throw usage("give the script with --script or --script-file");
    }
    Payload plan = payload(values, "plan", "the compiled plan");
    if (mode == Mode.EXECUTE_PLAN && plan == null) {
      throw usage("--mode execute-plan needs --plan or --plan-file");
    }
    if (mode != Mode.EXECUTE_PLAN && plan != null) {
      throw usage("--plan and --plan-file go with --mode execute-plan only");
    }
    String output = values.get("output");
    if (output != null && mode != Mode.EXPLAIN && mode != Mode.COMPILE) {
      throw usage("--output goes with --mode explain or compile only");
    }
    return new Arguments(mode, script, plan, output);
  }

  private static boolean known(String name) {
    for (String flag : FLAGS) {
      if (flag.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Mode mode(String flag) {
    for (Mode mode : Mode.values()) {
      if (mode.flag.equals(flag)) {
        return mode;
      }
    }
    throw usage("unknown --mode '" + flag + "'");
  }

  /** --NAME (inline base64) or --NAME-file, at most one of the two. */
  private static Payload payload(Map<String, String> values, String name, String what) {
    String inline = values.get(name);
    String file = values.get(name + "-file");
    if (inline != null && file != null) {
      throw usage("give --" + name + " or --" + name + "-file, not both");
    }
    if (inline != null) {
      return Payload.inline(what, inline);
    }
    return file != null ? Payload.file(what, file) : null;
  }

  private static RunnerException usage(String why) {
    return new RunnerException(why + "\n" + USAGE);
  }
}

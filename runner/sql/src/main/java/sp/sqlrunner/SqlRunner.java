package sp.sqlrunner;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs one SQL script, as sp split it, as one Flink job (SPEC.md section 14).
 *
 * Every mode applies SET/RESET to the TableConfig and runs CREATE, DROP,
 * ALTER, USE, LOAD, UNLOAD and ADD JAR with executeSql, in script order. All
 * INSERTs go into one StatementSet, so the script is one job; then
 *
 * <ul>
 *   <li>run: execute the set (on a cluster the context's environment, from
 *       `flink run` or the REST /jars/:id/run, submits it);
 *   <li>explain: write the set's explain() text;
 *   <li>compile: write its compiled plan JSON;
 *   <li>execute-plan: execute the given compiled plan instead of the INSERTs.
 * </ul>
 *
 * pipeline.name is the script's name unless the script SETs it. Failures are
 * thrown (never System.exit) as RunnerException naming the statement.
 */
public final class SqlRunner {
  private SqlRunner() {}

  public static void main(String[] args) {
    Arguments arguments = Arguments.parse(args);
    Script script = Script.fromJson(arguments.script.text());
    String plan = arguments.plan != null ? arguments.plan.text() : null;
    run(arguments, script, plan);
  }

  private static void run(Arguments arguments, Script script, String plan) {
    List<Statement> inserts = new ArrayList<>();
    for (Statement s : script.statements) {
      if (s.kind == Statement.Kind.INSERT) {
        inserts.add(s);
      }
    }
    // Refused before any Flink work: a script without INSERT runs no job.
    if (inserts.isEmpty() && arguments.mode != Arguments.Mode.EXECUTE_PLAN) {
      throw new RunnerException("the script has no INSERT");
    }

    TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    ScriptSettings settings = new ScriptSettings(tableEnv.getConfig());
    StatementSet statementSet = tableEnv.createStatementSet();
    for (Statement s : script.statements) {
      try {
        apply(tableEnv, settings, statementSet, s, arguments.mode);
      } catch (RuntimeException e) {
        throw RunnerException.atStatement(s, e);
      }
    }
    if (!settings.isSet("pipeline.name") && !script.name.isEmpty()) {
      tableEnv.getConfig().set("pipeline.name", script.name);
    }

    try {
      switch (arguments.mode) {
        case RUN:
          reportSubmitted(statementSet.execute());
          break;
        case EXPLAIN:
          write(arguments.output, statementSet.explain());
          break;
        case COMPILE:
          write(arguments.output, Plans.compile(statementSet));
          break;
        case EXECUTE_PLAN:
          reportSubmitted(Plans.execute(tableEnv, plan));
          break;
        default:
          throw new IllegalStateException("mode " + arguments.mode);
      }
    } catch (RunnerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw wrapStatementSetError(arguments.mode, inserts, e);
    }
  }

  private static void apply(TableEnvironment tableEnv, ScriptSettings settings, StatementSet statementSet,
      Statement s, Arguments.Mode mode) {
    switch (s.kind) {
      case SET:
        settings.set(s.key, s.value);
        break;
      case RESET:
        settings.reset(s.key);
        break;
      case INSERT:
        // The compiled plan holds the INSERTs in execute-plan mode.
        if (mode != Arguments.Mode.EXECUTE_PLAN) {
          statementSet.addInsertSql(s.sql);
        }
        break;
      default:
        tableEnv.executeSql(s.sql);
        break;
    }
  }

  /**
   * Errors of the planner or the submission concern the INSERTs together; a
   * single INSERT is named like any statement, several by their lines.
   */
  private static RunnerException wrapStatementSetError(Arguments.Mode mode, List<Statement> inserts,
      RuntimeException e) {
    if (mode == Arguments.Mode.EXECUTE_PLAN) {
      return new RunnerException("executing the compiled plan: " + RunnerException.describe(e), e);
    }
    if (inserts.size() == 1) {
      return RunnerException.atStatement(inserts.get(0), e);
    }
    StringBuilder lines = new StringBuilder();
    for (Statement s : inserts) {
      lines.append(lines.length() == 0 ? "" : ", ").append(s.line);
    }
    return new RunnerException("the INSERT statements at lines " + lines + " (insert): "
        + RunnerException.describe(e), e);
  }

  /** One line sp may read from the client output; the job id, when the executor gives one. */
  private static void reportSubmitted(TableResult result) {
    result.getJobClient().ifPresent(
        client -> System.out.println("sp-sql-runner: submitted job " + client.getJobID()));
  }

  private static void write(String output, String text) {
    String withNewline = text.endsWith("\n") ? text : text + "\n";
    if (output == null) {
      PrintStream out = System.out;
      out.print(withNewline);
      out.flush();
      return;
    }
    try (Writer w = new OutputStreamWriter(Files.newOutputStream(Paths.get(output)), StandardCharsets.UTF_8)) {
      w.write(withNewline);
    } catch (IOException e) {
      throw new RunnerException("cannot write " + output + ": " + RunnerException.describe(e), e);
    }
  }
}

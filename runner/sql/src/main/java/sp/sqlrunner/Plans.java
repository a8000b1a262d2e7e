package sp.sqlrunner;

import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Compiled plans (FLIP-190). The calls are the same on 1.20 and 2.2
 * (StatementSet.compilePlan, CompiledPlan.asJsonString,
 * TableEnvironment.loadPlan(PlanReference.fromJsonString)); they are kept
 * here so that a line where they differ changes one file.
 */
final class Plans {
  private Plans() {}

  /** The compiled plan JSON of the statement set's INSERTs. */
  static String compile(StatementSet statementSet) {
    return statementSet.compilePlan().asJsonString();
  }

  /** Submits a compiled plan JSON (as compile wrote it) as the job. */
  static TableResult execute(TableEnvironment tableEnv, String planJson) {
    return tableEnv.loadPlan(PlanReference.fromJsonString(planJson)).execute();
  }
}

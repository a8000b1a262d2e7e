package sp.sqlrunner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableConfig;

/**
 * The script's SET and RESET over the TableConfig, with the SQL client's
 * meaning of RESET: back to the value the environment gave (cluster and
 * submission configuration, the streaming mode), not to Flink's defaults.
 *
 * TableConfig offers set(String, String) on both lines but no way to drop a
 * key or to reset everything; its application Configuration does have
 * removeKey. So the first SET of a key remembers what the key held before
 * (or that it was absent), RESET 'key' restores that, and RESET (no key)
 * restores every key the script SET. A RESET of a key the script never SET
 * changes nothing: clearing the whole application configuration would also
 * drop execution.runtime-mode=streaming, which TableEnvironment.create put
 * there.
 */
final class ScriptSettings {
  private final TableConfig config;
  /** Keys the script SET, each with its value before the first SET (null: absent). */
  private final Map<String, String> before = new HashMap<>();
  /** The same keys in the order first SET, so a RESET of everything is deterministic. */
  private final List<String> order = new ArrayList<>();

  ScriptSettings(TableConfig config) {
    this.config = config;
  }

  void set(String key, String value) {
    if (!before.containsKey(key)) {
      before.put(key, applicationConfig().toMap().get(key));
      order.add(key);
    }
    config.set(key, value);
  }

  /** RESET 'key' when key is non-empty, else RESET of everything the script SET. */
  void reset(String key) {
    if (!key.isEmpty()) {
      restore(key);
      order.remove(key);
      return;
    }
    for (String k : order) {
      restore(k);
    }
    order.clear();
  }

  /** True while the script's own SET of key is in force. */
  boolean isSet(String key) {
    return before.containsKey(key);
  }

  private void restore(String key) {
    if (!before.containsKey(key)) {
      return;
    }
    String old = before.remove(key);
    if (old == null) {
      applicationConfig().removeKey(key);
    } else {
      config.set(key, old);
    }
  }

  private Configuration applicationConfig() {
    return config.getConfiguration();
  }
}

package sp.example;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.util.Collector;

/**
 * A small stateful streaming job for sp's tests: a throttled, checkpointable
 * generator, a running count per key kept in keyed state, and a print sink.
 * Every operator has a stable uid, so savepoints and retained checkpoints of
 * one run restore into the next one.
 *
 * <p>Arguments (all optional):
 * <pre>
 *   --rate N            records per second from the source (default 20)
 *   --keys N            number of distinct keys (default 10)
 *   --name NAME         job name (default sp-example-job)
 *   --output-prefix S   prefix of every output line (default "count")
 *   --fail-after N      throw after N records processed in this run
 *   --restarts N        restart attempts before FAILED (default 0 with
 *                       --fail-after, else the cluster's strategy)
 *   --fail-at-start     throw in main, before the job is submitted
 * </pre>
 */
public final class StatefulCountJob {

    private StatefulCountJob() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.failAtStart) {
            throw new IllegalStateException(
                    "sp-example-job: failing at start on purpose (--fail-at-start)");
        }

        Configuration conf = new Configuration();
        if (o.failAfter > 0 || o.restarts >= 0) {
            int restarts = Math.max(o.restarts, 0);
            if (restarts == 0) {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            } else {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

        final long keys = o.keys;
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                index -> index % keys,
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(o.rate),
                Types.LONG);

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .uid("sp-example-source")
                .name("generator")
                .keyBy(key -> key)
                .process(new CountPerKey(o.outputPrefix, o.failAfter))
                .uid("sp-example-count")
                .name("count-per-key")
                .sinkTo(new PrintSink<>())
                .uid("sp-example-sink")
                .name("print");

        env.execute(o.name);
    }

    /** Counts records per key in keyed state and emits "PREFIX key=K count=C". */
    static final class CountPerKey extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;

        private final String prefix;
        private final long failAfter;
        private transient ValueState<Long> count;
        /** Records seen by this subtask since it was (re)started; not state on purpose. */
        private transient long seenInThisRun;

        CountPerKey(String prefix, long failAfter) {
            this.prefix = prefix;
            this.failAfter = failAfter;
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<String> out) throws Exception {
            if (count == null) {
                // Fetched lazily instead of in open(): open()'s signature differs between 1.x and 2.x.
                count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            }
            seenInThisRun++;
            if (failAfter > 0 && seenInThisRun > failAfter) {
                throw new IllegalStateException("sp-example-job: failing on purpose after "
                        + failAfter + " records (--fail-after)");
            }
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            out.collect(prefix + " key=" + key + " count=" + next);
        }
    }

    /** Command-line options; unknown or malformed arguments fail the submission. */
    static final class Options {
        long rate = 20;
        long keys = 10;
        String name = "sp-example-job";
        String outputPrefix = "count";
        long failAfter = 0;
        int restarts = -1;
        boolean failAtStart = false;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--fail-at-start":
                        o.failAtStart = true;
                        break;
                    case "--rate":
                        o.rate = positive(a, value(args, ++i, a));
                        break;
                    case "--keys":
                        o.keys = positive(a, value(args, ++i, a));
                        break;
                    case "--name":
                        o.name = value(args, ++i, a);
                        break;
                    case "--output-prefix":
                        o.outputPrefix = value(args, ++i, a);
                        break;
                    case "--fail-after":
                        o.failAfter = positive(a, value(args, ++i, a));
                        break;
                    case "--restarts":
                        o.restarts = (int) Math.min(Integer.MAX_VALUE, nonNegative(a, value(args, ++i, a)));
                        break;
                    default:
                        throw new IllegalArgumentException("sp-example-job: unknown argument '" + a + "'");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException("sp-example-job: " + flag + " needs a value");
            }
            return args[i];
        }

        private static long nonNegative(String flag, String v) {
            try {
                long n = Long.parseLong(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    "sp-example-job: " + flag + " needs a non-negative integer, got '" + v + "'");
        }

        private static long positive(String flag, String v) {
            long n = nonNegative(flag, v);
            if (n == 0) {
                throw new IllegalArgumentException("sp-example-job: " + flag + " must be at least 1");
            }
            return n;
        }
    }
}

package io.accord.tools.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one run measured.
 *
 * @param options      the run's settings
 * @param ops          requests answered without error in the measured window
 * @param seconds      length of the measured window
 * @param p50Ms        latency percentiles of those requests, in ms
 * @param errors       error replies by ZooKeeper error code name over the whole run (warm-up and drain included);
 *                     {@code FAILED} counts sessions that lost their connection
 * @param sessionPaths each session's znode
 * @param sessionWrites successful setData/multi requests of each session over the whole run
 * @param watchEvents  with {@code --watch}: watch events received over the whole run
 * @param watchEventsExpected with {@code --watch}: events the successful setData requests should have brought
 * @param scheduledSent with {@code --rate}: scheduled requests sent in the measured window
 * @param sentLate     with {@code --rate}: those of them sent more than {@link #LATE_MS} ms behind their schedule
 */
public record BenchResult(BenchOptions options, long ops, double seconds, double p50Ms, double p90Ms, double p99Ms,
                          double p999Ms, double maxMs, Map<String, Long> errors, List<String> sessionPaths,
                          List<Long> sessionWrites, long watchEvents, long watchEventsExpected, long scheduledSent,
                          long sentLate) {
    /** With {@code --rate}, a request sent more than this behind its scheduled time counts as sent late. */
    public static final double LATE_MS = 1.0;

    /** With {@code --rate}: the scheduled requests sent per second in the measured window. */
    public double rateAchieved() {
        return seconds > 0 ? scheduledSent / seconds : 0;
    }

    public double opsPerSec() {
        return seconds > 0 ? ops / seconds : 0;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The machine-readable summary line. */
    public String resultLine() {
        String codes = errors.isEmpty() ? "" : " error_codes=" + errors.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "RESULT workload=%s clients=%d window=%d ops=%d ops_per_sec=%.1f "
                        + "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d%s%s%s",
                options.workload().label(), options.clients(), options.window(), ops, opsPerSec(), p50Ms, p90Ms,
                p99Ms, p999Ms, maxMs, errorCount(), codes, options.openLoop() ? String.format(Locale.ROOT,
                        " rate_target=%.1f rate_achieved=%.1f sent_late=%d", options.rate(), rateAchieved(),
                        sentLate) : "", options.watch() ? " watch_events=" + watchEvents
                        + " watch_events_expected=" + watchEventsExpected : "");
    }
}

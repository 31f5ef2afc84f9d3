/**
 * Running the same pipelines on each Beam runner: {@link
 * io.tributary.pipelines.runner.RunnerProfile} (the flags per runner and place) and {@link
 * io.tributary.pipelines.runner.RunnerSession} (what a runner needs around a run, e.g. Spark's
 * context).
 */
package io.tributary.pipelines.runner;

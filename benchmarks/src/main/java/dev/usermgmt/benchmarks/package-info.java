/**
 * Benchmarks: every measurement runs beside the fastest raw baseline written for the same work, in
 * alternating pairs after warm-up pairs, with both sides' results compared ({@link
 * dev.usermgmt.benchmarks.Pairs}); {@link dev.usermgmt.benchmarks.Report} runs every suite and
 * prints each line's result, baseline, ratio (min / median / max of the pairs), target and verdict.
 */
@NullMarked
package dev.usermgmt.benchmarks;

import org.jspecify.annotations.NullMarked;

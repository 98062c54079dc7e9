/**
 * JMH benchmarks. Every benchmark {@code x} has a raw baseline {@code x_raw} (the same work done
 * with the underlying library or plain Java, as a host would write it by hand) measured in the same
 * run; {@link dev.usermgmt.benchmarks.Ratios} prints each beside its baseline and the ratio.
 */
@NullMarked
package dev.usermgmt.benchmarks;

import org.jspecify.annotations.NullMarked;

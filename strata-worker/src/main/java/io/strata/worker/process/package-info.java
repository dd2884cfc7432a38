/**
 * Running external programs: {@link io.strata.worker.process.ProcessRunner} streams output lines as
 * they happen, masks secrets with {@link io.strata.worker.process.SecretMasker}, and on interrupt
 * ends the whole process tree.
 */
package io.strata.worker.process;

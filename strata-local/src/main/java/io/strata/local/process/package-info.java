/**
 * Running external programs: {@link io.strata.local.process.ProcessRunner} streams output lines as
 * they happen, masks secrets with {@link io.strata.local.process.SecretMasker}, and on interrupt
 * ends the whole process tree.
 */
package io.strata.local.process;

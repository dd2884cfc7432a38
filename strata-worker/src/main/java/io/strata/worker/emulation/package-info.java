/** Whether this machine runs a platform's binaries natively, under QEMU user emulation, or not at all. */
package io.strata.worker.emulation;

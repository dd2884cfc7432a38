package io.strata.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundTest {
    /** A warm-up runs on a platform thread (never holding a virtual-thread carrier) and runs its work. */
    @Test
    void aWarmUpRunsOnADaemonPlatformThread() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();

        Thread thread = Background.warmUp("strata-test-warm-up", () -> ran.set(true));
        thread.join();

        assertThat(ran).isTrue();
        assertThat(thread.isVirtual()).isFalse();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("strata-test-warm-up");
    }

    /** A warm-up that fails prints nothing: the thread's default handler would print a stack trace on the terminal. */
    @Test
    void aFailingWarmUpPrintsNoStackTrace() throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Background.warmUp("strata-test-warm-up", () -> {
                throw new IllegalStateException("a warm-up that fails");
            }).join();
        } finally {
            System.setErr(before);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}

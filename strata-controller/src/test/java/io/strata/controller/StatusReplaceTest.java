package io.strata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuildBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuildStatus;
import io.strata.testkit.Eventually;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two writers of one resource's status in this process: the second reads what the first wrote. The mock API
 * server accepts a status PUT made from an older read (a real one answers 409), so without that the older
 * status would win.
 */
class StatusReplaceTest {
    @Test
    void aSecondWriterReadsWhatTheFirstWroteNotWhatWasThereBefore() throws Exception {
        try (MockCluster cluster = MockCluster.start()) {
            var client = cluster.client();
            MachineOSBuild build = client.resource(new MachineOSBuildBuilder().withNewMetadata().withName("written-twice").endMetadata()
                    .withNewSpec().endSpec().build()).create();
            CountDownLatch firstHasRead = new CountDownLatch(1);
            CountDownLatch letFirstWrite = new CountDownLatch(1);
            Thread first = Thread.ofPlatform().start(() -> StatusReplace.of(client, build, fresh -> {
                firstHasRead.countDown();
                await(letFirstWrite);
                fresh.setStatus(status("first"));
                return fresh;
            }));
            assertThat(firstHasRead.await(60, TimeUnit.SECONDS)).isTrue();
            AtomicReference<String> secondRead = new AtomicReference<>("nothing");
            Thread second = Thread.ofPlatform().start(() -> StatusReplace.of(client, build, fresh -> {
                secondRead.set(fresh.getStatus() == null ? null : fresh.getStatus().getBuildStart());
                MachineOSBuildStatus status = fresh.getStatus() == null ? new MachineOSBuildStatus() : fresh.getStatus();
                status.setBuildEnd("second");
                fresh.setStatus(status);
                return fresh;
            }));
            // The second waits for the first; without the serialization it reads the status before the first wrote it.
            Eventually.until("the second writer waiting, or done reading", () -> StatusReplace.waiting(second)
                    || !"nothing".equals(secondRead.get()));
            letFirstWrite.countDown();
            first.join();
            second.join();

            assertThat(secondRead.get()).isEqualTo("first");
            MachineOSBuildStatus written = client.resources(MachineOSBuild.class).withName("written-twice").get().getStatus();
            assertThat(written.getBuildStart()).as("the first's write kept").isEqualTo("first");
            assertThat(written.getBuildEnd()).isEqualTo("second");
        }
    }

    private static MachineOSBuildStatus status(String start) {
        MachineOSBuildStatus status = new MachineOSBuildStatus();
        status.setBuildStart(start);
        return status;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.strata.controller.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller the mock API server lacks, enough for Job builds: each new Job gets pods
 * {@code JOB-0}, {@code JOB-1}, ... from its template, one at a time, until one succeeds (Complete) or
 * {@code backoffLimit} retries have failed (Failed, BackoffLimitExceeded); {@code status.active}
 * while a pod runs. A deleted Job has its pod deleted. The test kubelet runs the pods.
 */
public final class TestJobs implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final Thread loop;

    private TestJobs(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.loop = Thread.ofVirtual().name("test-jobs").start(this::scan);
    }

    public static TestJobs start(KubernetesClient client, String namespace) {
        return new TestJobs(client, namespace);
    }

    private void scan() {
        while (!closed) {
            try {
                for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                    if (taken.add(job.getMetadata().getUid())) {
                        Thread.ofVirtual().name("test-job-" + job.getMetadata().getName()).start(() -> run(job));
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the mock is closing; the next round or close() ends this
            }
        }
    }

    private void run(Job job) {
        String name = job.getMetadata().getName();
        int limit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
        try {
            for (int attempt = 0; ; attempt++) {
                String podName = name + "-" + attempt;
                Pod pod = new PodBuilder().withNewMetadata().withName(podName).withNamespace(namespace)
                        .withLabels(job.getSpec().getTemplate().getMetadata().getLabels()).addToLabels("job-name", name).endMetadata()
                        .withSpec(job.getSpec().getTemplate().getSpec()).build();
                client.pods().inNamespace(namespace).resource(pod).create();
                status(name, new JobStatusBuilder().withActive(1).withFailed(attempt).build());
                String phase = awaitEnd(name, podName);
                if (phase == null) {
                    client.pods().inNamespace(namespace).withName(podName).delete();
                    return; // the Job was deleted
                }
                if (phase.equals("Succeeded")) {
                    status(name, new JobStatusBuilder().withActive(0).withSucceeded(1).withFailed(attempt)
                            .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
                    return;
                }
                if (attempt >= limit) {
                    status(name, new JobStatusBuilder().withActive(0).withFailed(attempt + 1)
                            .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                                    .withMessage("Job has reached the specified backoff limit").build()).build());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the Job or the mock went away
        }
    }

    /** The pod's final phase, or null when the Job was deleted first. */
    private String awaitEnd(String job, String podName) throws InterruptedException {
        while (!closed) {
            if (client.batch().v1().jobs().inNamespace(namespace).withName(job).get() == null) {
                return null;
            }
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return phase;
            }
            if (pod == null) {
                return "Failed"; // deleted from outside: a failed attempt, as for a real Job
            }
            Thread.sleep(100);
        }
        return null;
    }

    private void status(String name, JobStatus status) {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (job != null) {
            job.setStatus(status);
            client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }
}

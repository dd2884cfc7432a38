package io.strata.bench;

import java.util.Random;

/**
 * A large, realistic Dockerfile for the benchmark: stages of ARG/ENV/LABEL/RUN/COPY with continuation
 * lines, comments, JSON and shell forms and heredocs, generated from a fixed seed.
 */
final class DockerfileBenchInput {
    private DockerfileBenchInput() {}

    static String generate(int instructions, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(instructions * 60);
        out.append("# syntax=docker/dockerfile:1.7\nARG REGISTRY=registry.example.com\nARG TAG=9.4\n");
        int written = 2;
        int stage = 0;
        while (written < instructions) {
            if (written % 500 == 2) {
                out.append("\n# stage ").append(stage).append('\n');
                out.append("FROM --platform=$BUILDPLATFORM ${REGISTRY}/ubi9/ubi:${TAG} AS stage").append(stage++).append('\n');
                written++;
                continue;
            }
            int n = written;
            switch (random.nextInt(10)) {
                case 0 -> out.append("ARG VERSION_").append(n).append("=1.").append(n).append('\n');
                case 1 -> out.append("ENV PATH_").append(n).append("=/opt/app/bin:$PATH \\\n    HOME_").append(n)
                        .append("=\"/home/user ").append(n).append("\"\n");
                case 2 -> out.append("LABEL com.example.component=\"app-").append(n)
                        .append("\" \\\n      com.example.version=${VERSION_").append(n - 1).append(":-dev}\n");
                case 3 -> out.append("RUN dnf install -y \\\n        gcc make git \\\n        python3-pip && \\\n"
                        + "    dnf clean all && rm -rf /var/cache/dnf\n");
                case 4 -> out.append("COPY --from=stage0 --chown=1001:0 /src/").append(n).append(" /opt/app/")
                        .append(n).append('\n');
                case 5 -> out.append("RUN <<EOF\nset -eux\necho building ").append(n).append("\nEOF\n");
                case 6 -> out.append("# comment about step ").append(n).append('\n').append("WORKDIR /opt/app/")
                        .append(n).append('\n');
                case 7 -> out.append("CMD [\"/opt/app/bin/run\", \"--port\", \"").append(8000 + n % 1000).append("\"]\n");
                case 8 -> out.append("ENV LEGACY_").append(n).append(" value with spaces ").append(n).append('\n');
                default -> out.append("USER 1001\n");
            }
            written++;
        }
        return out.toString();
    }
}

package io.strata.kube.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageStreamTagRefTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            registry.ci.openshift.org/ocp/builder:rhel-8-golang-1.15 | registry.ci.openshift.org | ocp       | builder | rhel-8-golang-1.15
            localhost:5000/ci/4.6:etcd                                | localhost:5000            | ci        | 4.6     | etcd
            quay.io/a/b/openshift/release:golang.art                  | quay.io/a/b               | openshift | release | golang.art
            """)
    void splitsRegistryNamespaceImageStreamAndTag(String pullspec, String registry, String namespace, String stream,
            String tag) {
        assertThat(ImageStreamTagRef.parse(pullspec)).isEqualTo(new ImageStreamTagRef(registry, namespace, stream, tag));
        assertThat(ImageStreamTagRef.parse(pullspec).pullspec()).isEqualTo(pullspec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            builder:golang                           | expected REGISTRY/NAMESPACE/IMAGESTREAM:TAG
            ocp/builder:golang                       | expected REGISTRY/NAMESPACE/IMAGESTREAM:TAG
            registry.example.com/ocp/builder         | expected exactly one ':' between image stream and tag
            registry.example.com/ocp/builder:a:b     | expected exactly one ':' between image stream and tag
            registry.example.com/OCP/builder:golang  | 'OCP' is not a valid namespace
            registry.example.com/ocp/Builder:golang  | 'Builder' is not a valid image stream name
            registry.example.com/ocp/builder:{MAJOR} | '{MAJOR}' is not a valid tag
            registry.example.com/ocp/builder:        | '' is not a valid tag
            """)
    void rejectsPullspecsOpenShiftCannotAddress(String pullspec, String problem) {
        assertThatThrownBy(() -> ImageStreamTagRef.parse(pullspec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(problem);
    }
}

package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where an upload continues: the Location a registry answers, relative or absolute, below the repository. */
class RegistryBlobsTest {
    @Test
    void anUploadLocationBecomesAPathBelowTheRepository() throws Exception {
        ImageReference target = ImageReference.parse("127.0.0.1:5000/team/app");
        assertThat(RegistryBlobs.pathBelowRepository(target, "/v2/team/app/blobs/uploads/abc?_state=x%3Dy"))
                .isEqualTo("blobs/uploads/abc?_state=x%3Dy");
        assertThat(RegistryBlobs.pathBelowRepository(target, "http://127.0.0.1:5000/v2/team/app/blobs/uploads/abc"))
                .isEqualTo("blobs/uploads/abc");
        assertThatThrownBy(() -> RegistryBlobs.pathBelowRepository(target, "/v2/other/blobs/uploads/abc"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("outside repository team/app");
    }
}

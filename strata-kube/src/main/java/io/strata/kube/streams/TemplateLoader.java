package io.strata.kube.streams;

import io.strata.core.StrataException;
import java.util.Optional;

/** Supplies the Dockerfile template of a transform (from the group directory, or from memory). */
public interface TemplateLoader {

    /** The template text, or empty when there is no template for the transform. */
    Optional<String> load(Transform transform) throws StrataException;

    /** Where the template of a transform is read from, for messages. */
    String location(Transform transform);
}

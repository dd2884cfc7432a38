package io.strata.kube.streams.wire;

/** A reference to another object, here always an ImageStreamTag. */
public record ObjectReference(String kind, String namespace, String name) {

    public static ObjectReference imageStreamTag(String namespace, String istag) {
        return new ObjectReference("ImageStreamTag", namespace, istag);
    }
}

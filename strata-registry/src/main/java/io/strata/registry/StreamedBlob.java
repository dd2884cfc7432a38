package io.strata.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a blob that are produced while they are sent (a layer packed and compressed on the
 * fly), whose digest is known only once they have all been read. {@link RegistryBlobs#upload(
 * ImageReference, StreamedBlob)} keeps the chunk it is sending in memory, so a PATCH that failed is
 * sent again from where the registry stopped; only when the registry lost the whole upload session
 * (a registry that drops an upload after a broken PATCH, or restarted with a new secret) does it
 * open the bytes again from their start, which a reproducible producer can do.
 */
public interface StreamedBlob {
    /**
     * The bytes from their start. Called once per upload session; a second call means the earlier
     * stream is abandoned and the bytes are wanted again, identical.
     *
     * @throws IOException when they cannot be produced (again)
     */
    InputStream open() throws IOException;

    /** The digest ({@code sha256:...}) of the bytes the last opened stream gave, once it was read to its end. */
    String digest() throws Exception;

    /** A stream that can be read once: an upload session lost after the first chunk is then a failure. */
    static StreamedBlob once(InputStream content, java.util.concurrent.Callable<String> digestWhenRead) {
        return new StreamedBlob() {
            private boolean opened;

            @Override
            public synchronized InputStream open() throws IOException {
                if (opened) {
                    throw new IOException("the bytes are a stream that was read once already and cannot be sent again");
                }
                opened = true;
                return content;
            }

            @Override
            public String digest() throws Exception {
                return digestWhenRead.call();
            }
        };
    }
}

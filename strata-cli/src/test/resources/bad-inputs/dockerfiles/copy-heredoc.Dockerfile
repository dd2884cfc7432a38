FROM busybox
COPY <<EOF /a

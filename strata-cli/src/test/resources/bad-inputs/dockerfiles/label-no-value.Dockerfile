FROM busybox
LABEL a

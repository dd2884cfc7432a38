FROM busybox
LABEL name=café

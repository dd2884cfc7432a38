FROM busybox
LABEL =x

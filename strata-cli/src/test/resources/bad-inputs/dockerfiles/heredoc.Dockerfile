FROM busybox
RUN <<EOF
echo unterminated

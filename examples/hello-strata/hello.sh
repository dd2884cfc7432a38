#!/bin/sh
echo "$GREETING"
echo "component: $(cat /var/lib/hello/state)"

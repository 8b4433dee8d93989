#!/bin/sh
# The image's entrypoint: the Java mover on the jlink runtime, with the AOT cache recorded at build time.
exec /opt/datamover/jre/bin/java @/opt/datamover/jvm-options -XX:AOTCache=/opt/datamover/mover.aot \
  -jar /opt/datamover/mover.jar "$@"

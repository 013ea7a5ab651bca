# syntax=docker/dockerfile:1
# SIP proxy, registrar, admission control and RTP relay in one image.
#   docker build -t sip-proxy .
#   docker run -p 5060:5060/udp -p 5060:5060/tcp -p 8080:8080 -e SPRING_SECURITY_USER_PASSWORD=... sip-proxy
# See docker-compose.yml for the usual settings (SIP_DOMAIN, SIP_ADVERTISED_ADDRESS, admin user).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
# H2's database file lives in ./data (the default spring.datasource.url), i.e. /app/data.
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin sip \
    && mkdir /app/data && chown sip /app/data
COPY --from=build /src/sip-proxy/target/sip-proxy.jar /app/sip-proxy.jar
USER sip
# SIP (UDP and TCP) and the admin REST API / actuator. The RTP relay ports (relay.port-min..relay.port-max)
# must be published too for media to flow through the relay: see docker-compose.yml.
EXPOSE 5060/udp 5060/tcp 8080
VOLUME /app/data
# JVM options: see README, "The two commands" (shorter collection pauses; a heap that does not grow under call load).
ENTRYPOINT ["java", "-XX:MaxTenuringThreshold=0", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-jar", "/app/sip-proxy.jar"]

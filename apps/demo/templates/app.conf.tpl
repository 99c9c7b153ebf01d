# app.conf for ${host} (${environment}), rendered by `fab push-config`
server_name = ${server_name}
workers = ${workers}
log_level = ${log_level}

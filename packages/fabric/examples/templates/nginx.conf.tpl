server {
    listen 80;
    server_name ${server_name};
    # $$ stays a dollar sign, as in Python's string.Template
    set $$upstream app;
    worker_connections_hint $workers;
}

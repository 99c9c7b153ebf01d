#!/usr/bin/env node
import "../dist/bundle/bin/ssh-config-resolve.js";

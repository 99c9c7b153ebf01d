#!/usr/bin/env node
import "../dist/bin/ssh-config-resolve.js";

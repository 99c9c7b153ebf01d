#!/usr/bin/env node
import "../dist/bin/fab.js";

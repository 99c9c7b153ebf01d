#!/usr/bin/env node
import "../dist/bin/inv.js";

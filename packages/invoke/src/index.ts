export { Config, type ConfigOptions } from "./config/config.js";
export { invokeDefaults } from "./config/defaults.js";
export type * from "./config/types.js";

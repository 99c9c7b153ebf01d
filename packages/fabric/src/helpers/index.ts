// `@fabric-ts/fabric/helpers`: the everyday helpers of Fabric 1's `fabric.contrib` and Ansible's
// idempotent modules. Importing this costs nothing on start-up: the template engine loads on
// first render, the SSH stack when a helper first talks to a host.

export {
  InvalidAnswer,
  PromptUnavailable,
  RebootFailed,
  RemoteFileError,
  ValidationFailed,
} from "../errors/index.js";
export { type AttributeOptions, checkMode } from "./attributes.js";
export {
  append,
  type CommentOptions,
  comment,
  contains,
  type EditOptions,
  type EnsureDirOptions,
  type EnsureLineOptions,
  ensureDir,
  ensureLine,
  exists,
  isDir,
  isLink,
  sed,
  uncomment,
} from "./files.js";
export {
  type ChangeCounts,
  type ConfigReader,
  countingChanges,
  type HelperSession,
  helperSession,
  recordChange,
  withHelperSession,
} from "./helper-session.js";
export {
  type AppendOptions,
  appendLines,
  type ContainsOptions,
  commentLines,
  escapeRegExp,
  type LineOptions,
  lineInText,
  type Pattern,
  type Replacement,
  type SedOptions,
  sedText,
  textContains,
  uncommentLines,
} from "./line-edits.js";
export {
  type AnswerCheck,
  type ConfirmOptions,
  confirm,
  type PromptOptions,
  prompt,
  promptEnvName,
} from "./prompt.js";
export { type RebootOptions, type RebootResult, reboot } from "./reboot.js";
export type { SudoOption, SudoOptions } from "./remote-file.js";
export {
  type RenderOptions,
  renderTemplate,
  type TemplateContext,
  type TemplateSource,
  type UploadTemplateOptions,
  type UploadTemplateResult,
  uploadTemplate,
} from "./template.js";

export {
  type MockCall,
  MockContext,
  type MockContextOptions,
  type MockResult,
  type MockResultMap,
  type MockValue,
  NotImplementedError,
} from "./mock-context.js";

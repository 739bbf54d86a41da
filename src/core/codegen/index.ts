export { printProgram, canPrint } from './print';
export { CodegenError } from './emit';

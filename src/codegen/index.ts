export {
  generateFromWsdl,
  CodegenError,
  type GenerateOptions,
  type GeneratedModule,
} from './generate.ts';
export { renderTypeScript, type RenderOptions } from './render-typescript.ts';
export { CODEGEN_ERRORS } from './error-catalogue.ts';

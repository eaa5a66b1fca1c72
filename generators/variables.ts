/**
 * The start of a generation, done in one pass over the blocks. Blockly's Python and JavaScript
 * generators start by walking every block three times (the variables used, twice, and the
 * developer variables), and that was most of the time a 1000-block program took to generate.
 * These functions give the same names in the same order (test/generators/variables.test.ts
 * checks them against Blockly's own), from one walk.
 */
import * as Blockly from 'blockly';

/** The variables a program's blocks use, and the developer variables, each in first-use order. */
export interface ProgramVariables {
  used: Blockly.IVariableModel<Blockly.IVariableState>[];
  developer: string[];
}

/**
 * Block types known to have no variable field. A block without a mutator always has the fields
 * its type gives it, so one look at one block of the type answers for all of them.
 */
const NO_VARIABLE_FIELDS = new Set<string>();

/** Whether `block` can have a variable field; remembers the answer for its type when it may. */
function mayHaveVariables(block: Blockly.Block): boolean {
  if (NO_VARIABLE_FIELDS.has(block.type)) return false;
  const fixedShape = !block.mutationToDom && !block.saveExtraState;
  const found = block.inputList.some((input) =>
    input.fieldRow.some((f) => f.referencesVariables()),
  );
  if (fixedShape && !found) NO_VARIABLE_FIELDS.add(block.type);
  return found;
}

/** What `Blockly.Variables.allUsedVarModels` and `allDeveloperVariables` return, in one walk. */
export function programVariables(workspace: Blockly.Workspace): ProgramVariables {
  const variables = workspace.getVariableMap();
  const used = new Set<Blockly.IVariableModel<Blockly.IVariableState>>();
  const developer = new Set<string>();
  for (const block of workspace.getAllBlocks(false)) {
    const own = (block as { getDeveloperVariables?: () => string[] }).getDeveloperVariables;
    for (const name of own?.call(block) ?? []) developer.add(name);
    if (!mayHaveVariables(block)) continue;
    for (const input of block.inputList) {
      for (const field of input.fieldRow) {
        if (!field.referencesVariables()) continue;
        const variable = variables.getVariableById(field.getValue() as string);
        if (variable?.getId()) used.add(variable);
      }
    }
  }
  return { used: [...used], developer: [...developer] };
}

/**
 * Does what Blockly's Python and JavaScript generators do in `init` up to the variable
 * declarations: fresh definitions and names, every variable and procedure given its name.
 * Returns the program's variables for the declarations, which differ between the languages.
 */
export function startGeneration(
  generator: Pick<Blockly.CodeGenerator, 'isInitialized'>,
  names: Blockly.Names,
  workspace: Blockly.Workspace,
): ProgramVariables {
  Blockly.CodeGenerator.prototype.init.call(generator as Blockly.CodeGenerator, workspace);
  names.reset();
  names.setVariableMap(workspace.getVariableMap());
  const found = programVariables(workspace);
  for (const variable of found.used)
    names.getName(variable.getId(), Blockly.Names.NameType.VARIABLE);
  names.populateProcedures(workspace);
  for (const name of found.developer)
    names.getName(name, Blockly.Names.NameType.DEVELOPER_VARIABLE);
  generator.isInitialized = true;
  return found;
}

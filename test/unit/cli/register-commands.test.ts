// registerCommands: a run registers (and so loads the modules of) only the command it names; help, no command or an
// unknown name registers every command, in the order `eior --help` lists them.
import { Command } from 'commander';
import { registerCommands } from '../../../apps/cli/src/commands';

const ALL = ['neo4j', 'ingest', 'stats', 'start', 'generate', 'train', 'explain', 'serve', 'api-key', 'datasets', 'models', 'tune'];

async function registered(...args: string[]): Promise<string[]> {
  const program = new Command('eior');
  await registerCommands(program, ['node', 'eior', ...args]);
  return program.commands.map((c) => c.name());
}

describe('registerCommands', () => {
  it('registers only the command argv names', async () => {
    expect(await registered('ingest', '--dataset', 'd', '--events', 'e.csv')).toEqual(['ingest']);
    expect(await registered('api-key', 'create')).toEqual(['api-key']);
  });

  it('registers every command for help, no command, an option first or an unknown name', async () => {
    expect(await registered()).toEqual(ALL);
    expect(await registered('help', 'ingest')).toEqual(ALL);
    expect(await registered('--help')).toEqual(ALL);
    expect(await registered('ingset')).toEqual(ALL);
    expect(await registered('constructor')).toEqual(ALL); // not a command, though every object has one
  });
});

package org.boml.runtime.autodiff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes, in pure Java, a TorchScript archive with two methods: {@code forward} calls {@code
 * torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
 * allow_unused=True)} on the outputs that take part in autograd and replaces unused inputs'
 * gradients by zeros, or returns an empty list, without differentiating, when an input takes no
 * part in autograd (so the caller needs no separate check before the call); {@code requires_grad}
 * reports which tensors take part in autograd (DJL's own {@code requiresGrad} answers false for
 * every non-leaf tensor).
 *
 * <p>The archive is the format {@code torch.jit.save} writes: a stored (uncompressed) zip with the
 * serialized source in {@code code/__torch__.py}, the pickled module object in {@code data.pkl} (an
 * {@code AutogradHelper} whose only state is {@code training = True}), an empty constants table and
 * the format version. libtorch compiles the source when the archive is loaded.
 */
final class AutogradArchive {
  private static final String ROOT = "autograd/";

  static final String SOURCE =
      String.join(
          "\n",
          "class AutogradHelper(Module):",
          "  __parameters__ = []",
          "  __buffers__ = []",
          "  training : bool",
          "  def forward(self: __torch__.AutogradHelper,",
          "    outputs: List[Tensor],",
          "    cotangents: List[Tensor],",
          "    inputs: List[Tensor],",
          "    create: bool,",
          "    retain: bool) -> List[Tensor]:",
          "    result = annotate(List[Tensor], [])",
          "    for i in range(torch.len(inputs)):",
          "      if inputs[i].requires_grad:",
          "        pass",
          "      else:",
          "        return result",
          "    live = annotate(List[Tensor], [])",
          "    seeds = annotate(List[Optional[Tensor]], [])",
          "    for k in range(torch.len(outputs)):",
          "      if outputs[k].requires_grad:",
          "        _0 = torch.append(live, outputs[k])",
          "        _1 = torch.append(seeds, cotangents[k])",
          "    if torch.len(live) == 0:",
          "      for i in range(torch.len(inputs)):",
          "        _2 = torch.append(result, torch.zeros_like(inputs[i]))",
          "      return result",
          "    grads = torch.autograd.grad(live, inputs, seeds, retain, create, True)",
          "    for i in range(torch.len(inputs)):",
          "      g = grads[i]",
          "      if torch.__is__(g, None):",
          "        _3 = torch.append(result, torch.zeros_like(inputs[i]))",
          "      else:",
          "        g0 = unchecked_cast(Tensor, g)",
          "        _4 = torch.append(result, g0)",
          "    return result",
          "  def requires_grad(self: __torch__.AutogradHelper,",
          "    tensors: List[Tensor]) -> List[bool]:",
          "    flags = annotate(List[bool], [])",
          "    for i in range(torch.len(tensors)):",
          "      _0 = torch.append(flags, tensors[i].requires_grad)",
          "    return flags",
          "");

  private AutogradArchive() {}

  /**
   * The archive's bytes.
   *
   * @return a zip that {@code torch::jit::load} accepts
   */
  static byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      putStored(zip, "data.pkl", modulePickle());
      putStored(zip, "code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
      putStored(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      putStored(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the autograd helper archive in memory", e);
    }
    return out.toByteArray();
  }

  /**
   * Pickle protocol 2 of {@code __torch__.AutogradHelper} with state {@code {"training": True}}.
   */
  private static byte[] modulePickle() {
    ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    pickle.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
    pickle.writeBytes("c__torch__\nAutogradHelper\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    // BINPUT 0, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK
    pickle.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', '('});
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    pickle.writeBytes(new byte[] {'X', (byte) key.length, 0, 0, 0}); // BINUNICODE
    pickle.writeBytes(key);
    // BINPUT 1, NEWTRUE, SETITEMS, BUILD, BINPUT 2, STOP
    pickle.writeBytes(new byte[] {'q', 1, (byte) 0x88, 'u', 'b', 'q', 2, '.'});
    return pickle.toByteArray();
  }

  private static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(ROOT + name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
